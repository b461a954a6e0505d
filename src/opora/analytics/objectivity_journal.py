"""Objectivity marker M5 (METHODOLOGY §5.2): the ВПР mark against the journal mark, FIS OKO
«Понизили / Подтвердили / Повысили».

Per school × year × subject × grade: down = share(ВПР < journal), same, up = share(ВПР > journal),
gap2 = share(|ВПР − journal| ≥ 2). M5_vpr_inflated: up at or above the scope's `up_pct` quantile
of `up`, i.e. its percentile rank (ties averaged) ≥ `up_pct`, and significantly above the scope's
pooled share (exact one-sided binomial test, p < `alpha`)
(absolute `up_abs` when fewer than `abs_fallback_below_schools` schools have data);
M5_journal_inflated: down likewise with `down_pct` / `down_abs`; M5_gap: gap2 ≥ `gap2_share`.
Groups below `general.n_min` compared students are not evaluated.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_registry import vpr_unit_filter, with_binom_p
from opora.analytics.objectivity_scores import finish
from opora.analytics.schemas import (
    SCHOOLS,
    STUDENT_RESULTS,
    Rows,
    collect,
    lazy_rows,
    validate_frame,
)
from opora.analytics.stats import percentile_rank
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_pct

KEY = ["school_id", "year", "subject", "grade"]


def journal_vs_vpr(
    students: Rows,
    schools: pl.DataFrame,
    methodology: Methodology,
    labels: Labels = DEFAULT_LABELS,
    all_reasons: bool = True,
) -> pl.DataFrame:
    """Shares lowered / confirmed / raised and the M5 markers with reasons, one row per group
    (`all_reasons=False`: reasons only for groups where a marker fired, for speed)."""
    m = methodology
    p = m.param("objectivity.m5")
    scope = f"{m.param('methodology.reference_scope')}_id"
    rows = lazy_rows(students, STUDENT_RESULTS)
    schools = validate_frame(schools, SCHOOLS)
    diff = pl.col("mark") - pl.col("journal_term")
    groups = collect(
        rows.filter(
            (pl.col("procedure") == "vpr")
            & pl.col("period").is_in(list(m.param("general.periods")))
            & pl.col("mark").is_not_null()
            & pl.col("journal_term").is_not_null()
        )
        .group_by(KEY)
        .agg(
            n=pl.len(),
            n_down=(diff < 0).sum(),
            n_up=(diff > 0).sum(),
            down=(diff < 0).mean(),
            same=(diff == 0).mean(),
            up=(diff > 0).mean(),
            gap2=(diff.abs() >= 2).mean(),
        )
        .join(schools.lazy().select("school_id", scope), on="school_id")
        .filter(pl.col("n") >= m.param("general.n_min"))
        .sort(KEY)
    )
    over = [scope, "year", "subject", "grade"]
    few = pl.len().over(over) < p["abs_fallback_below_schools"]
    up_t = (
        pl.when(few)
        .then(p["up_abs"])
        .otherwise(pl.col("up").quantile(p["up_pct"], "linear").over(over))
    )
    down_t = (
        pl.when(few)
        .then(p["down_abs"])
        .otherwise(pl.col("down").quantile(p["down_pct"], "linear").over(over))
    )
    # Above the scope's quantile = percentile rank (Hazen, ties averaged) ≥ up_pct / down_pct, so
    # that many schools tied at the quantile (shares of small groups are discrete) do not all
    # fire; a share of 0 never fires.
    # ... and the share must exceed the scope's pooled share by an exact one-sided binomial test
    # at `alpha` (a high rank alone is reached by 5 % of schools whatever they do).
    groups = groups.with_columns(
        _up_rank=percentile_rank("up", over) >= p["up_pct"],
        _down_rank=percentile_rank("down", over) >= p["down_pct"],
        _up_pool=pl.col("n_up").sum().over(over) / pl.col("n").sum().over(over),
        _down_pool=pl.col("n_down").sum().over(over) / pl.col("n").sum().over(over),
        _few=few,
    )
    for share, count in (("up", "n_up"), ("down", "n_down")):
        groups = with_binom_p(
            groups,
            f"p_{share}",
            pl.col(count),
            pl.col("n"),
            pl.col(f"_{share}_pool"),
            pl.col(f"_{share}_rank") & ~pl.col("_few") & (pl.col(count) > 0),
        )
    up_fire = (
        pl.when(pl.col("_few"))
        .then(pl.col("up") >= p["up_abs"])
        .otherwise(pl.col("_up_rank") & (pl.col("p_up") < p["alpha"]).fill_null(False))
    )
    down_fire = (
        pl.when(pl.col("_few"))
        .then(pl.col("down") >= p["down_abs"])
        .otherwise(pl.col("_down_rank") & (pl.col("p_down") < p["alpha"]).fill_null(False))
    )
    out = groups.with_columns(up_threshold=up_t, down_threshold=down_t).with_columns(
        m5_vpr_inflated=up_fire & (pl.col("up") > 0),
        m5_journal_inflated=down_fire & (pl.col("down") > 0),
        m5_gap=pl.col("gap2") >= p["gap2_share"],
    )
    # Reasons (Python text) only for the rows that need them.
    out = out.with_row_index("_i")
    need = out.filter(
        pl.lit(all_reasons)
        | pl.col("m5_vpr_inflated")
        | pl.col("m5_journal_inflated")
        | pl.col("m5_gap")
    )
    texts = pl.DataFrame(
        {
            "_i": need["_i"],
            "reasons": [
                _reasons(row, labels, p["gap2_share"]) for row in need.iter_rows(named=True)
            ],
        },
        schema={"_i": pl.UInt32, "reasons": pl.List(pl.String)},
    )
    return (
        out.join(texts, on="_i", how="left")
        .sort("_i")
        .with_columns(pl.col("reasons").fill_null(pl.lit([], pl.List(pl.String))))
        .drop("_i", scope, "_up_rank", "_down_rank", "_up_pool", "_down_pool", "_few")
        .sort(KEY)
    )


def _reasons(row: dict, labels: Labels, gap2_share: float) -> list[str]:
    head = labels.group("vpr", row["subject"], row["grade"], row["year"])
    texts = [
        f"{head}: понизили {fmt_pct(row['down'])}, подтвердили {fmt_pct(row['same'])}, "
        f"повысили {fmt_pct(row['up'])} (N = {row['n']})"
    ]
    if row["m5_vpr_inflated"]:
        texts.append(
            f"Отметка ВПР выше журнальной у {fmt_pct(row['up'])} при пороге {fmt_pct(row['up_threshold'])}."
        )
    if row["m5_journal_inflated"]:
        texts.append(
            f"Журнальная отметка выше ВПР у {fmt_pct(row['down'])} при пороге {fmt_pct(row['down_threshold'])}: "
            "признак завышения внутренней оценки."
        )
    if row["m5_gap"]:
        texts.append(
            f"Расхождение на 2 отметки и более у {fmt_pct(row['gap2'])} (порог {fmt_pct(gap2_share)})."
        )
    return texts


def m5_signals(
    students: Rows, schools: pl.DataFrame, m: Methodology, labels: Labels = DEFAULT_LABELS
) -> pl.DataFrame:
    """M5 as signals: one row per covered ВПР group, fired when any M5 sub-marker fires."""
    # Every figure of a ВПР group depends on its own subject and grade only: read just those.
    covered = lazy_rows(students, STUDENT_RESULTS).filter(vpr_unit_filter(m))
    frame = (
        journal_vs_vpr(covered, schools, m, labels, all_reasons=False)
        .with_columns(procedure=pl.lit("vpr"))
        .filter(vpr_unit_filter(m))
    )
    fired = pl.col("m5_vpr_inflated") | pl.col("m5_journal_inflated") | pl.col("m5_gap")
    out = frame.with_columns(
        marker=pl.lit("M5"),
        procedure=pl.lit("vpr"),
        value=pl.col("up"),
        threshold=pl.col("up_threshold"),
        reference=pl.col("down"),
        fired=fired,
        joined=pl.col("reasons").list.join(" "),
    )
    return finish(out, lambda r: r["joined"])
