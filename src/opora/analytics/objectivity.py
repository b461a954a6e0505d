"""Objectivity marker M5: ВПР mark vs the journal mark (METHODOLOGY §5.2, FIS OKO «Понизили /
Подтвердили / Повысили»). A diagnostic signal for support and observers, never a sanction.

Per school × year × subject × grade: down = share(ВПР < journal), same, up = share(ВПР > journal),
gap2 = share(|ВПР − journal| ≥ 2). M5_vpr_inflated: up ≥ the scope's `up_pct` quantile of `up`
(absolute `up_abs` when fewer than `abs_fallback_below_schools` schools have data);
M5_journal_inflated: down likewise with `down_pct` / `down_abs`; M5_gap: gap2 ≥ `gap2_share`.
Groups below `general.n_min` compared students are not evaluated.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.schemas import SCHOOLS, STUDENT_RESULTS, validate_frame
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_pct

KEY = ["school_id", "year", "subject", "grade"]


def journal_vs_vpr(
    students: pl.DataFrame,
    schools: pl.DataFrame,
    methodology: Methodology,
    labels: Labels = DEFAULT_LABELS,
) -> pl.DataFrame:
    """Shares lowered / confirmed / raised and the M5 markers with reasons, one row per group."""
    m = methodology
    p = m.param("objectivity.m5")
    scope = f"{m.param('methodology.reference_scope')}_id"
    students = validate_frame(students, STUDENT_RESULTS)
    schools = validate_frame(schools, SCHOOLS)
    diff = pl.col("mark") - pl.col("journal_term")
    groups = (
        students.lazy()
        .filter(
            (pl.col("procedure") == "vpr")
            & pl.col("period").is_in(list(m.param("general.periods")))
            & pl.col("mark").is_not_null()
            & pl.col("journal_term").is_not_null()
        )
        .group_by(KEY)
        .agg(
            n=pl.len(),
            down=(diff < 0).mean(),
            same=(diff == 0).mean(),
            up=(diff > 0).mean(),
            gap2=(diff.abs() >= 2).mean(),
        )
        .join(schools.lazy().select("school_id", scope), on="school_id")
        .filter(pl.col("n") >= m.param("general.n_min"))
        .sort(KEY)
        .collect()
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
    out = groups.with_columns(up_threshold=up_t, down_threshold=down_t).with_columns(
        m5_vpr_inflated=pl.col("up") >= pl.col("up_threshold"),
        m5_journal_inflated=pl.col("down") >= pl.col("down_threshold"),
        m5_gap=pl.col("gap2") >= p["gap2_share"],
    )
    reasons = [_reasons(row, labels, p["gap2_share"]) for row in out.iter_rows(named=True)]
    return (
        out.with_columns(reasons=pl.Series(reasons, dtype=pl.List(pl.String))).drop(scope).sort(KEY)
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
