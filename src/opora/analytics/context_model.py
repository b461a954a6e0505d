"""Context-adjusted results, resilient schools and the 2×2 typology (METHODOLOGY §7).

Model (fitted per reference scope × year, `context_model.covariates`):
    Y_s = a + b·ISB_s + c·RURAL_s + d·ln(N_students_s) + e_s
by weighted least squares (weights = N tested, `context_model.weights`), the normal equations
solved in `linalg` (Golub & Van Loan §3.4). This is the value-added / "contextualised attainment"
regression of school means on intake covariates (Goldstein, «Multilevel Statistical Models»,
4th ed., 2011, ch. 2; Ястребов и др., «Проблема контекстуализации образовательных результатов»,
2015). Y_s is the unshrunk composite Z of §2; the residual is shrunk once by the same
empirical-Bayes reliability λ_s = τ² / (τ² + σ²/N_s) (`shrinkage: true`), and
CE_s = resid_shr / sd(resid_shr) («контекстная эффективность»). The fit (n, weighted R²,
coefficients) is reported for every scope-year; scopes with fewer than `min_schools` complete
schools get no fit. Covariates constant within a scope are dropped (coefficient null).

Resilient: ISB percentile ≤ `resilience.isb_percentile_max` and (Y ≥ the scope median or CE ≥
`ce_min`) in ≥ `min_years` of the last `years` years, and no objectivity signs in those years.
A run warns when the resilient share of schools with a fit is outside `expected_share` widened
by `warn_factor` (4–5 % of Russian schools, §7).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from opora.analytics.context_fit import fit_wls
from opora.analytics.methodology import Methodology
from opora.analytics.text import fmt_num, fmt_pct

COVARIATE_NAMES = {"ISB": "ИСБШ", "RURAL": "сельская", "log_students": "ln(число обучающихся)"}
TYPES = {
    (True, True): "тонущие",
    (False, True): "борющиеся",
    (True, False): "низкие результаты не объясняются контекстом",
    (False, False): "благополучные",
}


@dataclass(frozen=True)
class ContextResult:
    """`schools`: per school × year; `fits`: per scope × year × target; `subjects`: CE per subject."""

    schools: pl.DataFrame
    fits: pl.DataFrame
    subjects: pl.DataFrame
    warnings: list[str] = field(default_factory=list)


def context_adjusted(
    composite: pl.DataFrame,
    covariates: pl.DataFrame,
    methodology: Methodology,
    year: int,
    shnor: pl.DataFrame | None = None,
    objectivity: pl.DataFrame | None = None,
    subject_scores: pl.DataFrame | None = None,
) -> ContextResult:
    """CE, resilience and typology for `year` from `shnor.composite_z` output and covariates.

    `shnor`: `identify_shnor(...).schools`; `objectivity`: `assess_objectivity(...).schools`;
    `subject_scores`: `clusters.subject_scores(...)` for CE per subject (§10).
    """
    m = methodology
    p, r = m.param("context_model"), m.param("resilience")
    scope = f"{m.param('methodology.reference_scope')}_id"
    covs = list(p["covariates"])
    over = [scope, "year"]
    base = composite.select("school_id", "year", y="Z", n_tested="n_total", lam="lam").join(
        covariates, on=["school_id", "year"]
    )
    weight = pl.col("n_tested").cast(pl.Float64) if p["weights"] == "n_tested" else pl.lit(1.0)
    scored, fits = fit_wls(base.with_columns(w=weight), covs, over, p["min_schools"])
    shrink = pl.col("resid") * (pl.col("lam") if p["shrinkage"] else 1.0)
    ce = pl.col("resid_shr") / pl.col("resid_shr").std(ddof=1).over(over)
    scored = scored.with_columns(resid_shr=shrink).with_columns(
        # A degenerate scope (all residuals ~0) gives no CE rather than ±inf.
        ce=pl.when(ce.is_finite()).then(ce),
        median=pl.col("y").median().over(over),
    )
    window = list(range(year - r["years"] + 1, year + 1))
    signs = _signs(objectivity)
    per_year = scored.filter(pl.col("year").is_in(window)).join(
        signs, on=["school_id", "year"], how="left"
    )
    per_year = per_year.with_columns(
        ok=(pl.col("isb_percentile") <= r["isb_percentile_max"]).fill_null(False)
        & ((pl.col("y") >= pl.col("median")) | (pl.col("ce") >= r["ce_min"]).fill_null(False)),
        has_signs=pl.col("has_signs").fill_null(False),
    )
    resil = per_year.group_by("school_id").agg(
        resilient_years=pl.col("ok").sum().cast(pl.Int64),
        signs_years=pl.col("has_signs").sum().cast(pl.Int64),
    )
    out = (
        covariates.filter(pl.col("year") == year)
        .join(
            scored.filter(pl.col("year") == year).select(
                "school_id", "y", "expected", "resid", "ce", "n_tested"
            ),
            on="school_id",
            how="left",
        )
        .join(resil, on="school_id", how="left")
        .join(fits.drop("n"), on=over, how="left")
        .with_columns(
            resilient=(pl.col("resilient_years") >= r["min_years"]).fill_null(False)
            & (pl.col("signs_years").fill_null(0) == 0)
        )
    )
    shnor_year = (
        shnor
        if shnor is not None
        else pl.DataFrame(schema={"school_id": pl.Int64, "year": pl.Int64, "is_shnor": pl.Boolean})
    )
    out = out.join(
        shnor_year.filter(pl.col("year") == year).select("school_id", "is_shnor"),
        on="school_id",
        how="left",
    )
    shnor_now, ssu_now = pl.col("is_shnor").fill_null(False), pl.col("is_ssu").fill_null(False)
    typology = pl.lit(TYPES[(False, False)])
    for (low, hard), name in TYPES.items():
        typology = (
            pl.when((shnor_now == low) & (ssu_now == hard)).then(pl.lit(name)).otherwise(typology)
        )
    out = out.with_columns(typology=typology).sort("school_id")
    fit_rows = {(f[scope], f["year"]): f for f in fits.iter_rows(named=True)}
    reasons = [
        _reasons(row, fit_rows.get((row[scope], year)), covs, m)
        for row in out.iter_rows(named=True)
    ]
    out = out.select(
        "school_id",
        "year",
        "y",
        "expected",
        "resid",
        "ce",
        "isb_percentile",
        "n_tested",
        "resilient",
        "resilient_years",
        "typology",
    ).with_columns(reasons=pl.Series(reasons, dtype=pl.List(pl.String)))
    warnings = _warnings(out, r)
    subjects = _subjects(subject_scores, covariates, covs, over, p["min_schools"])
    return ContextResult(out, fits.with_columns(target=pl.lit("composite")), subjects, warnings)


def _signs(objectivity: pl.DataFrame | None) -> pl.DataFrame:
    if objectivity is None:
        return pl.DataFrame(
            schema={"school_id": pl.Int64, "year": pl.Int64, "has_signs": pl.Boolean}
        )
    return objectivity.select("school_id", "year", "has_signs")


def _subjects(scores, covariates, covs, over, min_n) -> pl.DataFrame:
    schema = {
        "school_id": pl.Int64,
        "year": pl.Int64,
        "family": pl.String,
        "z": pl.Float64,
        "ce": pl.Float64,
    }
    if scores is None or scores.is_empty():
        return pl.DataFrame(schema=schema)
    base = scores.select("school_id", "year", "family", y="z", w=pl.col("n").cast(pl.Float64)).join(
        covariates, on=["school_id", "year"]
    )
    scored, _ = fit_wls(base, covs, [*over, "family"], min_n)
    return (
        scored.with_columns(
            ce=pl.when(
                (pl.col("resid") / pl.col("resid").std(ddof=1).over([*over, "family"])).is_finite()
            ).then(pl.col("resid") / pl.col("resid").std(ddof=1).over([*over, "family"]))
        )
        .select("school_id", "year", "family", z="y", ce="ce")
        .sort("school_id", "year", "family")
    )


def _reasons(row: dict, fit: dict | None, covs: list[str], m: Methodology) -> list[str]:
    if row["y"] is None or fit is None or row["expected"] is None:
        return [
            "Контекстная модель не оценена: нет сводного результата, ИСБШ или числа обучающихся, "
            f"либо в регионе меньше {m.param('context_model.min_schools')} школ с полными данными."
        ]
    terms = ", ".join(
        f"{COVARIATE_NAMES.get(c, c)} {fmt_num(fit[f'b_{c}'], 3)}"
        for c in covs
        if fit[f"b_{c}"] is not None
    )
    texts = [
        f"Результат Z = {fmt_num(row['y'], 2)} при ожидаемом по контексту {fmt_num(row['expected'], 2)}; "
        f"контекстная эффективность CE = {fmt_num(row['ce'], 2)} (взвешенный МНК, n = {fit['n']}, "
        f"R² = {fmt_num(fit['r2'], 2)}; коэффициенты: {terms})."
    ]
    r = m.param("resilience")
    if row["resilient"]:
        texts.append(
            f"Резильентная школа: ИСБШ в нижних {r['isb_percentile_max']} % и результат не ниже медианы "
            f"региона или CE ≥ {fmt_num(r['ce_min'], 1)} в {row['resilient_years']} из {r['years']} лет, "
            "без признаков необъективности."
        )
    texts.append(f"Тип (ШНОР × ССУ): {row['typology']}.")
    return texts


def _warnings(out: pl.DataFrame, r) -> list[str]:
    fitted = out.filter(pl.col("ce").is_not_null())
    if fitted.is_empty():
        return []
    share = float(fitted["resilient"].sum()) / fitted.height
    lo, hi = r["expected_share"]
    if share < lo / r["warn_factor"] or share > hi * r["warn_factor"]:
        return [
            f"Доля резильентных школ {fmt_pct(share)} далека от ожидаемой {fmt_pct(lo, 0)}–{fmt_pct(hi, 0)}."
        ]
    return []
