"""The composite result of a school for ШНОР rule R2 (METHODOLOGY §1 standardisation and
shrinkage, §2 R2): z of each eligible procedure group within its cell (scope × year ×
procedure × subject × grade), their N-weighted mean Z per school and year, the empirical-Bayes
shrinkage λ = τ² / (τ² + σ²/N) and the percentile rank of Zshr within scope and year.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.stats import percentile_rank, zscore


def scope_column(methodology: Methodology) -> str:
    """The column of the reference scope (`region_id` by default)."""
    return f"{methodology.param('methodology.reference_scope')}_id"


def school_z(g: pl.DataFrame, years: list[int], m: Methodology) -> pl.DataFrame:
    """Z, λ, Zshr and percentile per school × year, with every column of the computation
    (`composite_z` gives the public ones; `identify_shnor_years` can reuse this frame).
    `g` = `shnor.eligible_groups(...)` (with its integer keys `cell` and `school_year`)."""
    scope = scope_column(m)
    over = ["cell"]
    weight = pl.col("n").cast(pl.Float64)
    if m.param("shnor.r2.weight") == "sqrt_N":
        weight = weight.sqrt()
    z = (
        g.select(
            "school_id",
            scope,
            "year",
            "school_year",
            *over,
            "n",
            "mean_score",
            "score_var",
            "eligible",
        )
        .filter(
            pl.col("year").is_in(years) & pl.col("eligible") & pl.col("mean_score").is_not_null()
        )
        .with_columns(
            z=zscore("mean_score", over), sd_p=pl.col("mean_score").std(ddof=1).over(over)
        )
        .filter(pl.col("z").is_not_null())
        .with_columns(
            w=weight,
            var_num=((pl.col("n") - 1) * pl.col("score_var")).sum().over(over),
            var_den=pl.when(pl.col("score_var").is_not_null())
            .then(pl.col("n") - 1)
            .sum()
            .over(over),
        )
        .with_columns(
            pooled_var=pl.when(pl.col("var_den") > 0).then(pl.col("var_num") / pl.col("var_den"))
        )
        .with_columns(sigma2_e=pl.col("pooled_var") / pl.col("sd_p") ** 2)
    )
    per_school = (
        z.group_by("school_year")
        .agg(
            pl.col("school_id", scope, "year").first(),
            Z=(pl.col("w") * pl.col("z")).sum() / pl.col("w").sum(),
            n_total=pl.col("n").sum(),
            n_groups=pl.len(),
            sigma2_e=(pl.col("n") * pl.col("sigma2_e")).sum() / pl.col("n").sum(),
            sigma_known=pl.col("sigma2_e").is_not_null().all(),
        )
        .sort("school_year")
        .drop("school_year")
        .with_columns(noise=pl.col("sigma2_e") / pl.col("n_total"))
        .with_columns(
            tau2=pl.col("Z").var(ddof=1).over([scope, "year"]).fill_nan(None)
            - pl.col("noise").mean().over([scope, "year"]),
            all_known=pl.col("sigma_known").all().over([scope, "year"]),
        )
    )
    shrink = m.param("shnor.r2.shrinkage") and m.param("general.shrinkage.enabled")
    usable = pl.col("all_known") & (pl.col("tau2") > 0)
    lam = (
        pl.when(pl.lit(shrink) & usable)
        .then(pl.col("tau2") / (pl.col("tau2") + pl.col("noise")))
        .otherwise(1.0)
    )
    per_school = per_school.with_columns(lam=lam, usable=usable).with_columns(
        Zshr=pl.col("lam") * pl.col("Z")
    )
    return per_school.with_columns(pct=percentile_rank("Zshr", [scope, "year"]))


def composite_z_of(per_school: pl.DataFrame, m: Methodology) -> tuple[pl.DataFrame, list[str]]:
    """The public columns of a `school_z` frame and a warning per scope-year without
    shrinkage."""
    scope = scope_column(m)
    warnings: list[str] = []
    if m.param("shnor.r2.shrinkage") and m.param("general.shrinkage.enabled"):
        failed = (
            per_school.filter(~pl.col("usable")).select(scope, "year").unique().sort(scope, "year")
        )
        for row in failed.iter_rows(named=True):
            warnings.append(
                f"{row['year']}: сжатие (shrinkage) не применено — нет данных по участникам или τ² ≤ 0"
            )
    return per_school.select(
        "school_id", "year", "Z", "Zshr", "lam", "pct", "n_total", "n_groups"
    ), warnings


def composite_z(
    g: pl.DataFrame, years: list[int], m: Methodology
) -> tuple[pl.DataFrame, list[str]]:
    """Z and Zshr per school and year (METHODOLOGY §1 standardisation and shrinkage, §2 R2).

    Every value of a year depends on that year's groups only, so one call over several years
    gives each year's values exactly."""
    return composite_z_of(school_z(g, years, m), m)


def years_needed(years: list[int], m: Methodology) -> list[int]:
    """The years whose composite Z the ШНОР decisions of `years` read (R2 windows)."""
    window = m.param("shnor.r2.years_window")
    return sorted({y for year in years for y in range(year - window + 1, year + 1)})
