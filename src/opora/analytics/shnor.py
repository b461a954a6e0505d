"""ШНОР (школы с низкими образовательными результатами) per METHODOLOGY §2.

R1 (absolute): a procedure group p (procedure × subject × grade) is a *hit* when its share of
«2» (or below the ЕГЭ minimum) F ≥ `shnor.r1.t_fail`; R1a: ≥ `k_proc` hits in year y; R1b: some p
hit in each of the last `persistence_years` years; R1 = R1a AND R1b (`strict`) or OR (`lenient`).
R2 (relative): composite Z = N-weighted mean of z[s,p,y] standardised within procedure group and
year over the schools of the reference scope, shrunk by empirical Bayes (λ = τ² / (τ² + σ²/N));
low when its percentile rank ≤ `q_low`; R2 when low in ≥ `min_years_low` of `years_window` years.
Groups with N below `shnor.n_min` are left out of both rules, so they never drive a flag.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import polars as pl

from opora.analytics.lookup import attach
from opora.analytics.methodology import Methodology
from opora.analytics.ordering import group_keys, packed_keys, sort_rows
from opora.analytics.schemas import SCHOOLS, validate_frame
from opora.analytics.shnor_composite import (
    composite_z,
    composite_z_of,
    school_z,
    scope_column,
    years_needed,
)
from opora.analytics.shnor_reasons import shnor_evidence, shnor_reasons
from opora.analytics.text import DEFAULT_LABELS, Labels

__all__ = [
    "ShnorResult",
    "composite_z",
    "composite_z_of",
    "eligible_groups",
    "identify_shnor",
    "identify_shnor_years",
    "school_z",
    "scope_column",
    "years_needed",
]
P_KEY = ["procedure", "subject", "grade"]


@dataclass(frozen=True)
class ShnorResult:
    """`schools`: one row per evaluated school; `evidence`: the rows that put schools in."""

    schools: pl.DataFrame
    evidence: pl.DataFrame
    warnings: list[str] = field(default_factory=list)


def eligible_groups(
    groups: pl.DataFrame, schools: pl.DataFrame, methodology: Methodology
) -> pl.DataFrame:
    """Groups of the counted procedures joined with their school's territory, with `eligible`
    (N ≥ n_min; ВПР uses `general.n_min_vpr` when set), the scope's pooled fail share and
    `cell`, one integer per scope × year × procedure × subject × grade (the standardisation
    cell), `school_year` one per school × year in their order (integers: fast group-bys)."""
    schools = validate_frame(schools, SCHOOLS)
    n_min = methodology.param("shnor.n_min")
    n_min_vpr = methodology.param("general.n_min_vpr") or n_min
    scope = scope_column(methodology)
    joined = attach(
        groups.filter(pl.col("procedure").is_in(list(methodology.param("shnor.procedures")))),
        schools,
        "school_id",
        ["municipality_id", "region_id"],
    )
    keysets = [[scope, "year", *P_KEY], ["school_id", "year"], ["school_id", "year", *P_KEY]]
    cell, school_year, order = packed_keys(joined, keysets)
    if order is None or not order.is_sorted():  # procedure groups come sorted from `group_results`
        joined = sort_rows(joined, keysets[2])
        cell, school_year, _ = packed_keys(joined, keysets)
    if cell is None or school_year is None:
        cell, school_year = group_keys(joined, keysets[:2])
    return (
        joined.lazy()
        .with_columns(cell=cell, school_year=school_year)
        .with_columns(
            eligible=pl.col("n")
            >= pl.when(pl.col("procedure") == "vpr").then(n_min_vpr).otherwise(n_min),
            scope_fail_share=pl.col("n_fail").sum().over("cell")
            / pl.col("n_fail_known").sum().over("cell"),
        )
        .collect()
    )


def _r1(g: pl.DataFrame, year: int, m: Methodology) -> tuple[pl.DataFrame, pl.DataFrame]:
    t_fail = m.param("shnor.r1.t_fail")
    years = m.param("shnor.r1.persistence_years")
    span = list(range(year - years + 1, year + 1))
    hits = g.filter(
        pl.col("year").is_in(span) & pl.col("eligible") & (pl.col("fail_share") >= t_fail)
    )
    per_p = hits.group_by(["school_id", *P_KEY]).agg(pl.col("year").n_unique().alias("n_years"))
    persistent = per_p.filter(pl.col("n_years") == len(span)).select("school_id", *P_KEY)
    counts = (
        hits.filter(pl.col("year") == year).group_by("school_id").agg(pl.len().alias("r1_hits"))
    )
    flags = counts.join(
        persistent.group_by("school_id").agg(pl.len().alias("r1_persistent")),
        on="school_id",
        how="full",
        coalesce=True,
    ).with_columns(pl.col("r1_hits", "r1_persistent").fill_null(0))
    return flags, hits.join(
        persistent.with_columns(persistent=True), on=["school_id", *P_KEY], how="left"
    )


def identify_shnor(
    groups: pl.DataFrame,
    schools: pl.DataFrame,
    methodology: Methodology,
    year: int,
    labels: Labels = DEFAULT_LABELS,
) -> ShnorResult:
    """Identify ШНОР in `year` from procedure groups (`results.group_results`) and schools.

    `schools` frame: every school with at least one group of a counted procedure in the window;
    `evidence`: one row per (school, rule, procedure, subject, grade, year) behind a flag.
    """
    return identify_shnor_years(groups, schools, methodology, [year], labels)[year]


def identify_shnor_years(
    groups: pl.DataFrame,
    schools: pl.DataFrame,
    methodology: Methodology,
    years: list[int],
    labels: Labels = DEFAULT_LABELS,
    eligible: pl.DataFrame | None = None,
    scores: pl.DataFrame | None = None,
    reasons_for: Collection[int] | None = None,
) -> dict[int, ShnorResult]:
    """`identify_shnor` for each of `years`, sharing the work that does not depend on the year:
    `eligible` = `eligible_groups(...)` and `scores` = `school_z(eligible, years_needed(...))`
    if at hand. Russian reasons only for the years in `reasons_for` (all by default; the other
    years' schools get an empty list — the pipeline shows reasons of its analysis year only)."""
    m = methodology
    g = eligible if eligible is not None else eligible_groups(groups, schools, m)
    per_school = scores if scores is not None else school_z(g, years_needed(years, m), m)
    # R2 evidence: the groups of a low year below their cell's mean (cell = scope × year × p);
    # the cells' mean and sd here, the z of the few groups needed in `shnor_evidence`.
    scored = pl.col("eligible") & pl.col("mean_score").is_not_null()
    cells = (
        g.select("cell", "mean_score", scored=scored)
        .filter("scored")
        .group_by("cell")
        .agg(reference=pl.col("mean_score").mean(), _sd=pl.col("mean_score").std(ddof=1))
    )
    evidence_columns = ["school_id", "year", *P_KEY, "n", "mean_score", "cell"]
    group_z = (g.lazy().filter(scored).select(evidence_columns).collect(), cells, ["cell"])
    # Small per-year inputs: the R1 candidates, and per school-year whether a group counts.
    hits = g.filter(pl.col("eligible") & (pl.col("fail_share") >= m.param("shnor.r1.t_fail")))
    present = (
        g.group_by("school_year")
        .agg(
            pl.col("school_id", "year", "municipality_id", "region_id").first(),
            eligible=pl.col("eligible").any(),
        )
        .drop("school_year")
    )
    return {
        year: _identify(
            hits,
            present,
            per_school,
            group_z,
            m,
            year,
            labels,
            reasons_for is None or year in reasons_for,
        )
        for year in years
    }


def _identify(
    hits, present, per_school, group_z, m: Methodology, year: int, labels: Labels, reasons: bool
) -> ShnorResult:
    window = m.param("shnor.r2.years_window")
    r2_years = list(range(year - window + 1, year + 1))
    r1_flags, r1_rows = _r1(hits, year, m)
    z, warnings = composite_z_of(per_school.filter(pl.col("year").is_in(r2_years)), m)
    q_low = m.param("shnor.r2.q_low")
    z = z.with_columns(low=pl.col("pct") <= q_low)
    r2_flags = z.group_by("school_id").agg(
        r2_low_years=pl.col("low").sum(),
        r2_years=pl.col("year").filter(pl.col("low")).sort(),
    )
    k_proc = m.param("shnor.r1.k_proc")
    mode = m.param("shnor.r1.mode")
    decision = m.param("shnor.decision")
    base = (
        present.filter(
            pl.col("year").is_in(r2_years)
            | (pl.col("year") >= year - m.param("shnor.r1.persistence_years") + 1)
        )
        .group_by("school_id", "municipality_id", "region_id")
        .agg(evaluated=(pl.col("eligible") & (pl.col("year") <= year)).any())
    )
    out = (
        base.join(r1_flags, on="school_id", how="left")
        .join(r2_flags, on="school_id", how="left")
        .join(
            z.filter(pl.col("year") == year).select("school_id", "Zshr", "pct"),
            on="school_id",
            how="left",
        )
        .with_columns(
            pl.col("r1_hits", "r1_persistent", "r2_low_years").fill_null(0),
            year=pl.lit(year, pl.Int64),
        )
        .with_columns(
            r1a=pl.col("r1_hits") >= k_proc,
            r1b=pl.col("r1_persistent") > 0,
            r2=pl.col("r2_low_years") >= m.param("shnor.r2.min_years_low"),
        )
        .with_columns(
            r1=(pl.col("r1a") & pl.col("r1b"))
            if mode == "strict"
            else (pl.col("r1a") | pl.col("r1b"))
        )
    )
    is_shnor = {
        "r1 or r2": pl.col("r1") | pl.col("r2"),
        "r1 and r2": pl.col("r1") & pl.col("r2"),
        "r1": pl.col("r1"),
        "r2": pl.col("r2"),
    }[decision]
    out = out.with_columns(is_shnor=is_shnor & pl.col("evaluated")).sort("school_id")
    evidence = shnor_evidence(r1_rows, out, group_z, z, year, m)
    texts = (
        shnor_reasons(out, evidence, z, m, labels)
        if reasons
        else pl.lit(pl.Series([[]], dtype=pl.List(pl.String))).first()  # [] for every row
    )
    out = out.with_columns(reasons=texts).with_columns(
        status=pl.when(~pl.col("evaluated"))
        .then(pl.lit("not_evaluated"))
        .when(pl.col("is_shnor"))
        .then(pl.lit("flagged"))
        .otherwise(pl.lit("not_flagged")),
    )
    columns = [
        "school_id",
        "municipality_id",
        "region_id",
        "year",
        "is_shnor",
        "status",
        "r1",
        "r1a",
        "r1b",
        "r1_hits",
        "r2",
        "r2_low_years",
        "Zshr",
        "pct",
        "reasons",
    ]
    return ShnorResult(
        schools=out.select(columns).sort("school_id"), evidence=evidence, warnings=warnings
    )
