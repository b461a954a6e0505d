"""M2 — easy/hard task inversion (METHODOLOGY §5.2; Jacob & Levitt 2003, QJE 118(3), measure iv).

Input: the task scores of ВПР participants, one row per participant and work (`TASK_SCORES`:
school, year, subject, grade, the list of points per task, null = not attempted = 0 points;
a list shorter than the work's longest has 0 points on the tasks it lacks).
For each work (scope × year × subject × grade of `objectivity.procedures`) and task j:

* m_j = the most points any participant of the scope scored on task j (the files carry no
  per-task maximum; a task nobody scored on is left out);
* p_s,j = the school's points on j / (N_s · m_j), p_R,j = the same over the scope;
* d_j = 1 − p_R,j (the task's difficulty in the region), D_j = p_s,j − p_R,j;
* the deviation that the slope is taken of, by `m2.expected`:
  - `region`: D_j itself (METHODOLOGY's formula). A genuinely strong school gains most where the
    region is far from full marks, so its slope is positive without any distortion;
  - `same_total` (Jacob & Levitt's measure iv proper): E_j = p_s,j − e_s,j, where e_s,j is what the
    school's participants score on j on average in the scope *among participants with the same
    total score*, so the school's level is taken out and only the shape of its answers is left;
* b_s = the slope of the weighted least-squares line of that deviation on d_j, weights m_j;
* B_CRIT = the `m2.percentile` quantile (linear interpolation) of b over the schools of the same
  work with N_s ≥ `m2.n_min`; M2 fires when b_s ≥ B_CRIT and mean_j D_j > 0.

A school that is better on hard tasks than on easy ones, beyond what its level explains, and
better than the region overall is what answers written or corrected by adults look like. Works
with fewer than 3 scored tasks, and schools with N_s < `m2.n_min`, are not evaluated.

Computed work by work in a wide form (a column per task), never a row per participant and task:
the national run reads millions of participants lazily, one work at a time.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_registry import vpr_unit_filter
from opora.analytics.objectivity_scores import finish
from opora.analytics.schemas import TASK_SCORES, Rows, collect, lazy_rows
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num, fmt_pp

WORK = ["year", "subject", "grade"]
MIN_TASKS = 3


def task_rows(tasks: Rows) -> pl.LazyFrame:
    """`tasks` checked against `TASK_SCORES`, as a lazy frame. A lazy scan keeps its stored types
    (task points as Int8, say): casting every list to Int64 before picking the tasks out of it
    cost more than the rest of M2 on the national data; `_work_tasks` casts each picked task."""
    frame = tasks.lazy()
    # Raises on missing columns or wrong types (and on nulls in key columns of an eager frame).
    lazy_rows(frame, TASK_SCORES, check_nulls=isinstance(tasks, pl.DataFrame))
    return frame.select(list(TASK_SCORES.columns))


def task_works(tasks: Rows, m: Methodology) -> pl.DataFrame:
    """The works (year, subject, grade) of `objectivity.procedures` that have task scores, with
    the most tasks a participant has in each (`k`)."""
    works = task_rows(tasks).filter(vpr_unit_filter(m) & pl.col("task_scores").is_not_null())
    found = collect(works.group_by(WORK).agg(k=pl.col("task_scores").list.len().max()))
    return (
        found.select(pl.col(c).cast(TASK_SCORES.columns[c]) for c in WORK)
        .with_columns(k=found["k"].cast(pl.Int64))
        .sort(WORK)
    )


def _work_tasks(
    rows: pl.LazyFrame, schools: pl.DataFrame, scope: str, work: tuple, k: int, same_total: bool
) -> pl.DataFrame:
    """One work, per school × task: points `s`, expected points `e` (0 unless `same_total`),
    participants `n`, and the scope's points `S`, participants `N`, most points on j `m_j`."""
    year, subject, grade = work
    t = [f"t{j}" for j in range(k)]
    in_work = (
        (pl.col("procedure") == "vpr")
        & (pl.col("year") == year)
        & (pl.col("subject") == subject)
        & (pl.col("grade") == grade)
        & pl.col("task_scores").is_not_null()
    )
    points = pl.col("task_scores").list
    # One pass over the participants: per school × total score, the count and the points per task
    # (integer sums, exact in any order); everything after works on these cells.
    cells = collect(
        rows.filter(in_work)
        .select(
            "school_id",
            *(
                points.get(j, null_on_oob=True).fill_null(0).cast(pl.Int64).alias(c)
                for j, c in enumerate(t)
            ),
        )
        .with_columns(total=pl.sum_horizontal(t))
        .group_by("school_id", "total")
        .agg(
            pl.len().alias("_c"),
            *(pl.col(c).sum() for c in t),
            *(pl.col(c).max().alias(f"m_{c}") for c in t),
        )
    ).join(schools.select("school_id", scope), on="school_id")
    school = cells.group_by("school_id", scope).agg(
        pl.col("_c").sum().alias("n"), *(pl.col(c).sum() for c in t)
    )
    region = cells.group_by(scope).agg(
        pl.col("_c").sum().alias("N"),
        *(pl.col(c).sum().alias(f"S_{c}") for c in t),
        *(pl.col(f"m_{c}").max() for c in t),
    )
    if same_total:  # Σ over the school's participants of the scope's mean points at their total
        means = cells.group_by(scope, "total").agg(
            pl.col("_c").sum().alias("_nt"), *(pl.col(c).sum().alias(f"T_{c}") for c in t)
        )
        expected = (
            cells.select("school_id", scope, "total", "_c")
            .sort("school_id", "total")  # so that the float sums do not depend on row order
            .join(means, on=[scope, "total"], how="left", maintain_order="left")
            .group_by("school_id", scope)
            .agg(
                *(
                    (pl.col("_c") * pl.col(f"T_{c}") / pl.col("_nt")).sum().alias(f"e_{c}")
                    for c in t
                )
            )
        )
    else:  # `region`: the deviation is D itself; no expectation needed
        expected = school.select("school_id", scope, *(pl.lit(0.0).alias(f"e_{c}") for c in t))
    # Sorted by school, so that the task rows below come in one order whatever the input's.
    joined = school.join(expected, on=["school_id", scope]).join(region, on=scope).sort("school_id")
    return pl.concat(
        joined.select(
            "school_id",
            scope,
            pl.lit(year, pl.Int64).alias("year"),
            pl.lit(subject, pl.String).alias("subject"),
            pl.lit(grade, pl.Int64).alias("grade"),
            pl.lit(j, pl.Int64).alias("task"),
            pl.col("n").cast(pl.Int64),
            pl.col("N").cast(pl.Int64),
            s=pl.col(c).cast(pl.Float64),
            e=pl.col(f"e_{c}").cast(pl.Float64),
            S=pl.col(f"S_{c}").cast(pl.Float64),
            m_j=pl.col(f"m_{c}").cast(pl.Float64),
        )
        for j, c in enumerate(t)
    )


def m2(
    tasks: Rows,
    schools: pl.DataFrame,
    m: Methodology,
    scope: str,
    labels: Labels = DEFAULT_LABELS,
    works: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """M2 signals, one row per school × work evaluated; `works`: `task_works(tasks, m)` when the
    caller has it already."""
    p = m.param("objectivity.m2")
    same_total = p["expected"] == "same_total"
    rows = task_rows(tasks)
    works = task_works(rows, m) if works is None else works
    parts = [
        _work_tasks(rows, schools, scope, (year, subject, grade), k, same_total)
        for year, subject, grade, k in works.iter_rows()
        if k
    ]
    if not parts:
        return finish(pl.DataFrame({"fired": []}, schema={"fired": pl.Boolean}), str)
    task = (
        pl.concat(parts)
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
        task.group_by(school_key)  # a school's rows are in task order (`_work_tasks`)
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
