"""The regression behind context-adjusted results (METHODOLOGY §7): covariates per school × year
and the weighted least-squares fit per reference scope × year.

Y_s = a + b·ISB_s + c·RURAL_s + d·ln(N_students_s) + e_s, weights = N tested; the normal equations
are accumulated in one Polars pass per scope and solved in `linalg` (Golub & Van Loan §3.4).
Covariates constant within a scope are dropped (coefficient null); a singular system drops the
last covariate and tries again; scopes with fewer than `min_n` complete schools get no fit.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.linalg import SingularMatrixError, solve
from opora.analytics.methodology import Methodology
from opora.analytics.schemas import CONTEXT, SCHOOLS, validate_frame
from opora.analytics.stats import fold_sum


def covariate_frame(
    context: pl.DataFrame, isb: pl.DataFrame, schools: pl.DataFrame, m: Methodology
) -> pl.DataFrame:
    """ISB, RURAL (0/1) and log_students per school × year, with the scope column."""
    scope = f"{m.param('methodology.reference_scope')}_id"
    context = validate_frame(context, CONTEXT)
    schools = validate_frame(schools, SCHOOLS)
    return (
        context.select("school_id", "year", "students_total")
        .join(
            isb.select("school_id", "year", "isb", "isb_percentile", "is_ssu"),
            on=["school_id", "year"],
            how="left",
        )
        .join(schools.select("school_id", scope, "is_urban"), on="school_id")
        .select(
            "school_id",
            scope,
            "year",
            pl.col("isb_percentile").cast(pl.Float64),
            pl.col("is_ssu").cast(pl.Boolean),
            ISB=pl.col("isb").cast(pl.Float64),
            RURAL=(~pl.col("is_urban")).cast(pl.Float64),
            log_students=pl.when(pl.col("students_total") > 0).then(
                pl.col("students_total").cast(pl.Float64).log()
            ),
        )
    )


def fit_wls(frame: pl.DataFrame, covariates: list[str], over: list[str], min_n: int):
    """Fit y ~ 1 + covariates by WLS (weight `w`) within each `over` group.

    Returns (frame + `expected`, `resid`; fits with n, r2 and `b_<name>` per group).
    """
    cols = ["const", *covariates]
    data = frame.filter(
        pl.all_horizontal(pl.col(c).is_not_null() for c in ["y", "w", *covariates])
    ).filter(pl.col("w") > 0)
    # Sorted so that float sums do not depend on the order of input rows.
    data = data.with_columns(const=pl.lit(1.0)).sort([*over, "school_id"])
    sums = [
        (pl.col("w") * pl.col(a) * pl.col(b)).sum().alias(f"{a}*{b}")
        for i, a in enumerate(cols)
        for b in cols[i:]
    ] + [(pl.col("w") * pl.col(a) * pl.col("y")).sum().alias(f"{a}*y") for a in cols]
    rows = data.group_by(over).agg(*sums, n=pl.len()).sort(over).to_dicts()
    fits = []
    for row in rows:
        coef: dict[str, float | None] = {f"b_{c}": None for c in cols}
        keep = [c for c in covariates if _variance(row, c) > 1e-12]
        while row["n"] >= max(min_n, len(keep) + 2):
            use = ["const", *keep]
            xtx = [[row[_key(a, b, cols)] for b in use] for a in use]
            try:
                beta = solve(xtx, [row[f"{a}*y"] for a in use])
            except SingularMatrixError:
                keep = keep[:-1]
                continue
            coef.update({f"b_{c}": v for c, v in zip(use, beta, strict=True)})
            break
        fits.append({**{k: row[k] for k in over}, "n": row["n"], **coef})
    schema: dict[str, pl.DataType] = {
        **{k: data.schema[k] for k in over},
        "n": pl.Int64(),
        **{f"b_{c}": pl.Float64() for c in cols},
    }
    fits_frame = pl.DataFrame(fits, schema=schema).filter(pl.col("b_const").is_not_null())
    expected = pl.col("b_const") + fold_sum(
        [pl.col(f"b_{c}").fill_null(0) * pl.col(c) for c in covariates]
    )
    scored = (
        data.join(fits_frame.drop("n"), on=over)
        .with_columns(expected=expected)
        .with_columns(resid=pl.col("y") - pl.col("expected"))
        .sort([*over, "school_id"])
    )
    y_bar = (pl.col("w") * pl.col("y")).sum() / pl.col("w").sum()
    r2 = scored.group_by(over).agg(
        r2=1
        - (pl.col("w") * pl.col("resid") ** 2).sum()
        / (pl.col("w") * (pl.col("y") - y_bar) ** 2).sum()
    )
    fits_frame = (
        fits_frame.join(r2, on=over, how="left")
        .with_columns(r2=pl.when(pl.col("r2").is_finite()).then(pl.col("r2")))
        .sort(over)
    )
    return scored.drop("const", *[f"b_{c}" for c in cols]), fits_frame


def _key(a: str, b: str, cols: list[str]) -> str:
    return f"{a}*{b}" if cols.index(a) <= cols.index(b) else f"{b}*{a}"


def _variance(row: dict, c: str) -> float:
    """Weighted variance of covariate `c` within the group (0 for a constant covariate)."""
    sw = row["const*const"]
    mean = row[f"const*{c}"] / sw
    return row[f"{c}*{c}"] / sw - mean**2
