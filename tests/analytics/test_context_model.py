"""Context-adjusted results, resilience and typology (METHODOLOGY §7)."""

import random

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opora.analytics.context_model import context_adjusted
from opora.analytics.linalg import solve
from opora.analytics.methodology import load_preset

M = load_preset().with_overrides(
    {
        "context_model.covariates": ["ISB"],
        "context_model.min_schools": 3,
        "resilience.isb_percentile_max": 40,
    }
)
ISB = [40.0, 45.0, 55.0, 60.0]
Y = [-1.0, 0.0, 0.0, 1.0]


def _frames(y=Y, isb=ISB, region=1, first_id=1):
    ids = list(range(first_id, first_id + len(y)))
    composite, covariates = [], []
    for year in (2023, 2024):
        for i, s in enumerate(ids):
            composite.append({"school_id": s, "year": year, "Z": y[i], "n_total": 10, "lam": 1.0})
            covariates.append(
                {
                    "school_id": s,
                    "region_id": region,
                    "year": year,
                    "isb_percentile": (i + 0.5) / len(ids) * 100,
                    "is_ssu": i < 2,
                    "ISB": isb[i],
                    "RURAL": 0.0,
                    "log_students": 5.0,
                }
            )
    return pl.DataFrame(composite), pl.DataFrame(covariates)


def _shnor(ids=(1, 2, 3, 4)):
    return pl.DataFrame(
        {"school_id": list(ids), "year": [2024] * len(ids), "is_shnor": [i == ids[0] for i in ids]}
    )


def test_solve_a_known_system():
    # 2x + y = 5, x + 3y = 10 → x = 1, y = 3.
    assert [round(v, 12) for v in solve([[2.0, 1.0], [1.0, 3.0]], [5.0, 10.0])] == [1.0, 3.0]


def test_ols_fit_ce_resilience_and_typology_by_hand():
    # x̄ = 50, ȳ = 0; Sxy = (−10)(−1) + 10·1 = 20; Sxx = 100 + 25 + 25 + 100 = 250 → b = 0,08, a = −4.
    # Fitted −0,8, −0,4, 0,4, 0,8; residuals −0,2, 0,4, −0,4, 0,2; R² = 1 − 0,4/2 = 0,8.
    # sd(resid) = sqrt(0,4/3) = 0,36515 → CE(school 2) = 0,4/0,36515 = 1,0954.
    composite, covariates = _frames()
    result = context_adjusted(composite, covariates, M, 2024, shnor=_shnor())
    fit = result.fits.filter(pl.col("year") == 2024).row(0, named=True)
    assert fit["n"] == 4 and abs(fit["b_ISB"] - 0.08) < 1e-12 and abs(fit["b_const"] + 4) < 1e-9
    assert abs(fit["r2"] - 0.8) < 1e-12
    two = result.schools.filter(pl.col("school_id") == 2).row(0, named=True)
    assert abs(two["expected"] + 0.4) < 1e-9 and abs(two["ce"] - 1.0954) < 1e-4
    # School 2: ISB percentile 37,5 ≤ 40 and Y = 0 ≥ median 0 in 2023 and 2024 → resilient.
    assert result.schools.filter("resilient")["school_id"].to_list() == [2]
    assert result.schools["typology"].to_list() == [
        "тонущие",
        "борющиеся",
        "благополучные",
        "благополучные",
    ]
    assert two["reasons"][0] == (
        "Результат Z = 0,00 при ожидаемом по контексту −0,40; контекстная эффективность CE = 1,10 "
        "(взвешенный МНК, n = 4, R² = 0,80; коэффициенты: ИСБШ 0,080)."
    )


def test_objectivity_signs_cancel_resilience():
    composite, covariates = _frames()
    signs = pl.DataFrame({"school_id": [2], "year": [2023], "has_signs": [True]})
    result = context_adjusted(composite, covariates, M, 2024, objectivity=signs)
    assert result.schools.filter("resilient").is_empty()


def test_too_few_schools_give_no_fit():
    composite, covariates = _frames()
    small = M.with_overrides({"context_model.min_schools": 5})
    result = context_adjusted(composite, covariates, small, 2024)
    assert result.fits.is_empty() and result.schools["ce"].null_count() == 4
    assert result.schools["reasons"][0][0].startswith("Контекстная модель не оценена")


VALUES = st.lists(st.floats(-2, 2), min_size=5, max_size=5)


@settings(max_examples=30, deadline=None)
# Degenerate residuals (all ~0) once gave CE = ±inf.
@example([0.0, 0.0, 0.0, 0.0, 1e-250], [30.0, 31.0, 32.0, 33.0, 34.0], 0.0, 0.0, random.Random(0))
@given(
    VALUES,
    st.lists(st.floats(30, 70), min_size=5, max_size=5, unique=True),
    st.floats(0, 2),
    st.floats(0, 1),
    st.randoms(use_true_random=False),
)
def test_context_properties(y, isb, ce_min, step, rnd):
    composite, covariates = _frames(y, isb)
    low = M.with_overrides({"resilience.ce_min": ce_min})
    high = M.with_overrides({"resilience.ce_min": ce_min + step})
    base = context_adjusted(composite, covariates, low, 2024)
    stricter = context_adjusted(composite, covariates, high, 2024)
    assert set(stricter.schools.filter("resilient")["school_id"]) <= set(
        base.schools.filter("resilient")["school_id"]
    )
    shuffled = context_adjusted(
        composite.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 99)),
        covariates.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 99)),
        low,
        2024,
    )
    assert shuffled.schools.equals(base.schools)
    # Region 2 schools (ids 11–15, any values) do not change region 1's results.
    c2, v2 = _frames([v * 3 for v in y], isb, region=2, first_id=11)
    both = context_adjusted(pl.concat([composite, c2]), pl.concat([covariates, v2]), low, 2024)
    assert both.schools.filter(pl.col("school_id") < 11).equals(base.schools)
