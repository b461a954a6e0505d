"""The former M2 (one row per participant and task, exploded): the reference the wide, per-work
implementation of `opora.analytics.objectivity_tasks` is tested against."""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_registry import vpr_unit_filter
from opora.analytics.objectivity_scores import finish
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num, fmt_pp

WORK = ["year", "subject", "grade"]
MIN_TASKS = 3


def m2_exploded(
    tasks: pl.DataFrame,
    schools: pl.DataFrame,
    m: Methodology,
    scope: str,
    labels: Labels = DEFAULT_LABELS,
) -> pl.DataFrame:
    """M2 signals, one row per school × work evaluated."""
    p = m.param("objectivity.m2")
    rows = (
        tasks.filter(vpr_unit_filter(m) & pl.col("task_scores").is_not_null())
        .join(schools.select("school_id", scope), on="school_id")
        .with_row_index("_person")
    )
    n_school = rows.group_by("school_id", *WORK).agg(n=pl.len())
    points = (
        rows.select("_person", "school_id", scope, *WORK, "task_scores")
        .with_columns(task=pl.int_ranges(pl.col("task_scores").list.len()))
        .explode("task_scores", "task")
        .with_columns(score=pl.col("task_scores").fill_null(0).cast(pl.Float64))
    )
    same_total = p["expected"] == "same_total"
    if same_total:  # each participant's expected points on j: the scope's mean at their total
        points = points.with_columns(total=pl.col("score").sum().over("_person"))
        points = points.with_columns(e=pl.col("score").mean().over(scope, *WORK, "total", "task"))
    else:
        points = points.with_columns(e=pl.lit(0.0))
    per_task = (
        points.group_by("school_id", scope, *WORK, "task")
        .agg(s=pl.col("score").sum(), top=pl.col("score").max(), e=pl.col("e").sum())
        .join(n_school, on=["school_id", *WORK])
    )
    region = per_task.group_by(scope, *WORK, "task").agg(
        S=pl.col("s").sum(), N=pl.col("n").sum(), m_j=pl.col("top").max()
    )
    task = (
        per_task.join(region, on=[scope, *WORK, "task"])
        .filter(pl.col("m_j") > 0)
        .with_columns(
            p_s=pl.col("s") / (pl.col("n") * pl.col("m_j")),
            p_r=pl.col("S") / (pl.col("N") * pl.col("m_j")),
        )
        .with_columns(d=1 - pl.col("p_r"), D=pl.col("p_s") - pl.col("p_r"), w=pl.col("m_j"))
        .with_columns(
            dev=pl.col("p_s") - pl.col("e") / (pl.col("n") * pl.col("m_j"))
            if same_total
            else pl.col("D")
        )
    )
    school_key = ["school_id", scope, *WORK]
    w, d, dd = pl.col("w"), pl.col("d"), pl.col("dev")
    d_bar = (w * d).sum() / w.sum()
    dd_bar = (w * dd).sum() / w.sum()
    slopes = (
        task.sort(*school_key, "task")
        .group_by(school_key)
        .agg(
            n=pl.col("n").first(),
            tasks=pl.len(),
            b=(w * (d - d_bar) * (dd - dd_bar)).sum() / (w * (d - d_bar) ** 2).sum(),
            mean_D=pl.col("D").mean(),
        )
        .filter((pl.col("tasks") >= MIN_TASKS) & pl.col("b").is_finite())
    )
    eligible = pl.col("n") >= p["n_min"]
    crit = (
        slopes.filter(eligible)
        .group_by(scope, *WORK)
        .agg(threshold=pl.col("b").quantile(p["percentile"], "linear"), schools=pl.len())
    )
    out = (
        slopes.filter(eligible)
        .join(crit, on=[scope, *WORK])
        .with_columns(
            marker=pl.lit("M2"),
            procedure=pl.lit("vpr"),
            value=pl.col("b"),
            reference=pl.col("mean_D"),
            fired=(pl.col("b") >= pl.col("threshold")) & (pl.col("mean_D") > 0),
        )
    )
    level = fmt_num(100 * p["percentile"], 0)
    against = "участников региона с тем же общим баллом" if same_total else "региона"

    def text(r: dict) -> str:
        return (
            f"{labels.group('vpr', r['subject'], r['grade'], r['year'])}: школа тем сильнее "
            f"{against}, чем труднее задание — наклон b = {fmt_num(r['value'], 2)} (порог — "
            f"{level}-й процентиль по {r['schools']} школам, {fmt_num(r['threshold'], 2)}); "
            f"средняя разница с регионом по {r['tasks']} заданиям {fmt_pp(r['reference'])}; "
            f"N = {r['n']}"
        )

    return finish(out, text)
