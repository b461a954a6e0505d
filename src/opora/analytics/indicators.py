"""The indicator library (METHODOLOGY §1, DOMAIN §5 item 1): every indicator declared once.

An indicator is a ratio Σ numerator / Σ denominator over procedure groups (results) or over the
derived context figures (staff, equipment), so the same declaration gives the value of a school,
a municipality and a region (pooled, not averaged). Result values whose denominator is below
`general.n_min` are null with status `insufficient_n` — never zero, never imputed.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.context_indicators import context_figures
from opora.analytics.indicator_registry import (
    HIGHER_BETTER,
    LOWER_BETTER,
    REGISTRY,
    Indicator,
    register,
)
from opora.analytics.lookup import attach
from opora.analytics.methodology import Methodology
from opora.analytics.ordering import group_key, sort_rows
from opora.analytics.schemas import CONTEXT, SCHOOLS, validate_frame

__all__ = [
    "HIGHER_BETTER",
    "LEVEL_COLUMNS",
    "LOWER_BETTER",
    "REGISTRY",
    "Indicator",
    "compute_indicators",
    "register",
    "weighted_over_years",
]
LEVEL_COLUMNS = {"school": "school_id", "municipality": "municipality_id", "region": "region_id"}


def _results(
    inds: list[Indicator], groups: pl.DataFrame, schools: pl.DataFrame, level: str
) -> dict[str, pl.LazyFrame]:
    """Numerator and denominator of each result indicator per unit, year and subject: one
    pass over the groups per set of procedures (the indicators of a procedure share it)."""
    unit = LEVEL_COLUMNS[level]
    by_procedures: dict[tuple[str, ...], list[Indicator]] = {}
    for ind in inds:
        by_procedures.setdefault(ind.procedures, []).append(ind)
    out: dict[str, pl.LazyFrame] = {}
    for procedures, members in by_procedures.items():
        columns = {c for ind in members for c in (ind.numerator, ind.denominator)}
        rows = (
            groups.lazy()
            .filter(pl.col("procedure").is_in(list(procedures)))
            .select("school_id", "year", "subject", *sorted(columns))
            .collect()
        )
        territory = [c for c in ("municipality_id", "region_id") if c == unit]
        rows = attach(rows, schools, "school_id", territory)
        # One integer per unit × year × subject in their order (nulls last): grouped by it and
        # sorted by it, the sums come in the order of the output.
        key = group_key(rows, [unit, "year", "subject"])
        grouped = (
            rows.lazy()
            .with_columns(_k=key)
            .group_by("_k")
            .agg(
                **{
                    f"_n{i}": pl.when(pl.col(ind.denominator) > 0)
                    .then(pl.col(ind.numerator))
                    .sum()
                    .cast(pl.Float64)
                    for i, ind in enumerate(members)
                },
                **{
                    f"_d{i}": pl.when(pl.col(ind.numerator).is_not_null())
                    .then(pl.col(ind.denominator))
                    .sum()
                    .cast(pl.Float64)
                    for i, ind in enumerate(members)
                },
            )
            .sort("_k")
            .collect()
        )
        sums = pl.concat([_keys(rows, key, unit), grouped.drop("_k")], how="horizontal").lazy()
        for i, ind in enumerate(members):
            out[ind.code] = sums.select(
                "unit_id", "year", "subject", numerator=f"_n{i}", denominator=f"_d{i}"
            )
    return out


def _keys(rows: pl.DataFrame, key: pl.Series, unit: str) -> pl.DataFrame:
    """unit_id, year, subject of each distinct `key`, in the order of `key`: the first row of
    each run when the rows come in that order (procedure groups do, at school level)."""
    columns = [pl.col(unit).alias("unit_id"), "year", "subject"]
    if key.is_sorted():
        return rows.filter((key != key.shift(1)).fill_null(True)).select(columns)
    return rows.with_columns(_k=key).unique("_k", keep="any").sort("_k").select(columns)


def _context(
    ind: Indicator, context: pl.DataFrame, schools: pl.DataFrame, level: str, m: Methodology
) -> pl.LazyFrame:
    unit = LEVEL_COLUMNS[level]
    figure = context_figures(float(m.param("risk_profile.hours_per_rate")))[ind.figure]
    num = figure.num if figure.num is not None else figure.value
    den = figure.den if figure.den is not None else pl.lit(1.0)
    return (
        context.lazy()
        .join(schools.lazy().select("school_id", "municipality_id", "region_id"), on="school_id")
        .select(
            unit,
            "year",
            num=num.cast(pl.Float64),
            den=den.cast(pl.Float64),
            known=figure.value.is_not_null(),
        )
        .filter(pl.col("known"))
        .group_by(unit, "year")
        .agg(numerator=pl.col("num").sum(), denominator=pl.col("den").sum())
        .with_columns(subject=pl.lit(None, pl.String))
        .rename({unit: "unit_id"})
    )


def compute_indicators(
    methodology: Methodology,
    schools: pl.DataFrame,
    groups: pl.DataFrame | None = None,
    context: pl.DataFrame | None = None,
    level: str = "school",
    codes: list[str] | None = None,
) -> pl.DataFrame:
    """Values of the registered indicators per unit (`school`, `municipality`, `region`) and year.

    Columns: code, level, unit_id, year, subject (null for context), numerator, denominator,
    value (null when not computable), status (`ok`, `insufficient_n`, `no_data`).
    """
    schools = validate_frame(schools, SCHOOLS)
    n_min = methodology.param("general.n_min")
    parts, chosen_parts = [], []
    chosen = sorted(codes or REGISTRY)
    results = (
        _results(
            [REGISTRY[c] for c in chosen if REGISTRY[c].source == "results"], groups, schools, level
        )
        if groups is not None
        else {}
    )
    for code in chosen:
        ind = REGISTRY[code]
        if ind.source == "results":
            if groups is None:
                continue
            frame = results[code]
            small = pl.col("denominator") < n_min
        else:
            if context is None:
                continue
            frame = _context(ind, validate_frame(context, CONTEXT), schools, level, methodology)
            small = pl.lit(False)
        chosen_parts.append(code)
        parts.append(
            frame.with_columns(code=pl.lit(code), level=pl.lit(level))
            .with_columns(
                status=pl.when(pl.col("denominator") <= 0)
                .then(pl.lit("no_data"))
                .when(small)
                .then(pl.lit("insufficient_n"))
                .otherwise(pl.lit("ok"))
            )
            .with_columns(
                value=pl.when(pl.col("status") == "ok").then(
                    pl.col("numerator") / pl.col("denominator") * ind.scale
                )
            )
            .select(
                "code",
                "level",
                "unit_id",
                "year",
                "subject",
                "numerator",
                "denominator",
                "value",
                "status",
            )
        )
    if not parts:
        return pl.DataFrame()
    key = ["unit_id", "year", "subject"]
    # Parts come in code order: sorting each by the rest of the key sorts the whole (the
    # results' parts come sorted).
    return pl.concat(
        [
            part if REGISTRY[code].source == "results" else sort_rows(part, key)
            for code, part in zip(chosen_parts, pl.collect_all(parts), strict=True)
        ]
    )


def weighted_over_years(values: pl.DataFrame, year: int, methodology: Methodology) -> pl.DataFrame:
    """Weight an indicator frame over years: `general.year_weights` (3 : 2 : 1 by default) apply to
    `year`, `year − 1`, `year − 2`; the weights of missing years drop out (renormalised)."""
    weights = list(methodology.param("general.year_weights"))
    table = pl.DataFrame(
        {"year": [year - i for i in range(len(weights))], "w": [float(w) for w in weights]}
    )
    keys = ["code", "level", "unit_id", "subject"]
    return (
        values.filter(pl.col("value").is_not_null())
        .join(table, on="year", how="inner")
        .group_by(keys)
        .agg(
            value=(pl.col("value") * pl.col("w")).sum() / pl.col("w").sum(),
            years=pl.col("year").sort(descending=True),
        )
        .with_columns(year=pl.lit(year, pl.Int64))
        .sort(keys, nulls_last=True)
    )
