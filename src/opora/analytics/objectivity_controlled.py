"""Marker M6 (METHODOLOGY §5.2): the drop under controlled conditions (observers, federal
checking). Mean primary score of the usual minus the controlled students of the same ВПР group
≥ `m6.delta_sd` × the scope's student-level sd, or ≥ `m6.delta_pp` % of `max_primary_score`;
groups with fewer than `objectivity.m6.n_min` students on either side are not evaluated.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_marks import main_period
from opora.analytics.objectivity_scores import finish
from opora.analytics.schemas import collect
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num


def m6(students, reference, schools, m: Methodology, scope: str, labels: Labels = DEFAULT_LABELS):
    """M6 signals: usual vs controlled (observers) students of the same ВПР group."""
    p = m.param("objectivity.m6")
    gk = ["school_id", "year", "procedure", "subject", "grade"]
    rows = main_period(students, m).filter(
        (pl.col("procedure") == "vpr")
        & pl.col("primary_score").is_not_null()
        & pl.col("controlled").is_not_null()
    )
    # One streaming pass, per group: counts and integer sums of the usual and controlled
    # students' scores; the scope's sample sd comes from the exact integer sums of the groups
    # (the same whatever the order of rows or batches).
    score, controlled = pl.col("primary_score"), pl.col("controlled")
    # Grouped by school first (the procedure is ВПР throughout), the scope joined to the groups.
    per_group = collect(
        rows.group_by("school_id", "year", "subject", "grade").agg(
            n_c=controlled.sum(),
            n_u=(~controlled).sum(),
            _sum_c=pl.when(controlled).then(score).sum(),
            _sum_u=pl.when(~controlled).then(score).sum(),
            _n=score.count(),
            _s1=score.sum(),
            _s2=(score * score).sum(),
        )
    ).join(schools.select("school_id", scope), on="school_id")
    per_group = per_group.with_columns(procedure=pl.lit("vpr")).select(
        *gk, scope, pl.exclude(*gk, scope)
    )
    sd = (
        per_group.group_by(scope, "year", "subject", "grade")
        .agg(pl.col("_n", "_s1", "_s2").sum())
        .select(
            scope,
            "year",
            "subject",
            "grade",
            sd=pl.when(pl.col("_n") > 1).then(
                (
                    (pl.col("_s2") - pl.col("_s1").cast(pl.Float64) ** 2 / pl.col("_n"))
                    / (pl.col("_n") - 1)
                )
                .clip(lower_bound=0.0)
                .sqrt()
            ),
        )
    )
    out = (
        per_group.with_columns(
            mean_c=pl.when(pl.col("n_c") > 0).then(pl.col("_sum_c") / pl.col("n_c")),
            mean_u=pl.when(pl.col("n_u") > 0).then(pl.col("_sum_u") / pl.col("n_u")),
        )
        .filter((pl.col("n_c") >= p["n_min"]) & (pl.col("n_u") >= p["n_min"]))
        .join(sd, on=[scope, "year", "subject", "grade"])
        .join(
            reference.select("year", "procedure", "subject", "max_primary_score"),
            on=["year", "procedure", "subject"],
            how="left",
        )
        .with_columns(
            marker=pl.lit("M6"),
            n=pl.col("n_c") + pl.col("n_u"),
            value=pl.col("mean_u") - pl.col("mean_c"),
            reference=pl.col("sd"),
            threshold=pl.col("sd") * p["delta_sd"],
        )
        .with_columns(
            fired=(pl.col("value") >= pl.col("threshold")).fill_null(False)
            | (pl.col("value") * 100 / pl.col("max_primary_score") >= p["delta_pp"]).fill_null(
                False
            )
        )
    )

    def text(r: dict) -> str:
        return (
            f"{labels.group('vpr', r['subject'], r['grade'], r['year'])}: средний первичный балл "
            f"{fmt_num(r['mean_u'])} без наблюдателей (N = {r['n_u']}) и {fmt_num(r['mean_c'])} под "
            f"контролем (N = {r['n_c']}); разница {fmt_num(r['value'])} при пороге {fmt_num(r['threshold'])} "
            f"({fmt_num(p['delta_sd'], 1)} ст. откл. по региону)"
        )

    return finish(out, text)
