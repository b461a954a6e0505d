"""Decline risk D1/D2 and the forecast of entry (METHODOLOGY §9)."""

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.decline import decline_features, decline_risk
from opora.analytics.forecast import auc, fit_logit
from opora.analytics.methodology import load_preset
from opora.analytics.results import group_results
from opora.analytics.shnor import eligible_groups

from .frames import schools, vpr

M = load_preset()
SCHOOLS = schools([(s, 1, 1) for s in range(1, 5)])
ZSHR = {1: [0.5, 0.2, -0.1], 2: [0.5, 0.4, 0.0], 3: [0.0, 0.0, 0.0], 4: [-1.0, -1.5, -2.0]}


def _inputs(zshr=ZSHR):
    composite = pl.DataFrame(
        [
            {"school_id": s, "year": y, "Zshr": z[i], "pct": 0.5, "n_total": 40}
            for s, z in zshr.items()
            for i, y in enumerate((2022, 2023, 2024))
        ]
    )
    # School 3: two ВПР groups with «2» 2 of 20 (10 %) in 2023 and 5 of 20 (25 %) in 2024: +15 п.п.
    rows = []
    for s in zshr:
        for subject, grade in (("math", 6), ("rus", 5)):
            rows.append(vpr(s, 2023, subject, grade, 20, 2, 10.0))
            rows.append(vpr(s, 2024, subject, grade, 20, 5 if s == 3 else 2, 10.0))
    groups = eligible_groups(group_results(M, aggregates=pl.DataFrame(rows)), SCHOOLS, M)
    shnor = pl.DataFrame(
        [
            {"school_id": s, "year": y, "is_shnor": s == 4, "r1_hits": 0}
            for s in zshr
            for y in (2022, 2023, 2024)
        ]
    )
    covariates = pl.DataFrame(
        schema={
            "school_id": pl.Int64,
            "year": pl.Int64,
            "isb_percentile": pl.Float64,
            "RURAL": pl.Float64,
            "log_students": pl.Float64,
        }
    )
    return composite, shnor, groups, covariates


def _run(methodology=M, zshr=ZSHR):
    composite, shnor, groups, covariates = _inputs(zshr)
    features, rises = decline_features(composite, shnor, groups, covariates, None, methodology)
    return decline_risk(features, rises, methodology, 2024)


def test_d1_d2_and_the_d1_fallback_forecast():
    out, warnings = _run()
    # School 1: ΔZ −0,3 (2022→2023) and −0,3 (2023→2024) ≤ −0,2 → D1. School 2: −0,1 then −0,4 → no.
    # School 3: «2» 10 % → 25 % (+15 п.п. ≥ 10) in 2 procedures ≥ k_rise 2 → D2. School 4 is ШНОР: left out.
    assert out.select("school_id", "d1", "d2", "decline").rows() == [
        (1, True, False, True),
        (2, False, False, False),
        (3, False, True, True),
    ]
    assert out["forecast_method"].unique().to_list() == ["d1"] and out["watch"].to_list() == [
        True,
        False,
        False,
    ]
    # Transitions 2022→2023 and 2023→2024 exist but nobody entered the list (0 < 20).
    assert warnings == [
        "Прогноз по правилу D1: переходов 2 (нужно 2), попаданий в список 0 (нужно 20)."
    ]
    three = out.filter(pl.col("school_id") == 3)["reasons"][0].to_list()
    assert three[0] == (
        "D2: доля «2» выросла на 10 п.п. и более в 2 процедурах (нужно 2): ВПР, математика, 6 класс, 2024: "
        "10,0 → 25,0 % (+15,0\u00a0п.п.); ВПР, русский язык, 5 класс, 2024: 10,0 → 25,0 % (+15,0\u00a0п.п.)."
    )


def test_logit_recovers_the_two_group_closed_form():
    # x = 0: 2 of 10 positive (p 0,2); x = 1: 6 of 10 (p 0,6). The unpenalised MLE reproduces both
    # shares: b = logit(0,6) − logit(0,2) = 0,4055 + 1,3863 = 1,7918 in raw units.
    frame = pl.DataFrame(
        {"x": [0.0] * 10 + [1.0] * 10, "y": [True] * 2 + [False] * 8 + [True] * 6 + [False] * 4}
    )
    model = fit_logit(frame, ["x"], "y", c=1e9)
    p = model.predict(frame)["p"].to_list()
    assert abs(p[0] - 0.2) < 1e-6 and abs(p[-1] - 0.6) < 1e-6
    assert abs(model.coef[1] / model.sd["x"] - (math.log(0.6 / 0.4) - math.log(0.2 / 0.8))) < 1e-6
    # AUC of x: 8 positives × 12 negatives = 96 pairs; wins 6·8 = 48, ties 6·4 + 2·8 = 40 (half each).
    assert abs(auc(frame, "x", "y") - (48 + 20) / 96) < 1e-12


Z = st.lists(st.floats(-2, 2), min_size=3, max_size=3)


@settings(max_examples=30, deadline=None)
@given(st.lists(Z, min_size=3, max_size=3), st.floats(0.0, 0.5), st.floats(0.0, 0.5))
def test_raising_delta_never_adds_a_declining_school(zs, delta, step):
    zshr = {1: zs[0], 2: zs[1], 3: zs[2], 4: [0.0, 0.0, 0.0]}
    low, _ = _run(M.with_overrides({"decline.delta": delta}), zshr)
    high, _ = _run(M.with_overrides({"decline.delta": delta + step}), zshr)
    assert set(high.filter("d1")["school_id"]) <= set(low.filter("d1")["school_id"])


def test_logistic_forecast_when_enough_entries():
    m = M.with_overrides(
        {
            "forecast.min_positive_labels": 1,
            "forecast.require_beats_baseline": False,
            "forecast.p_watch": 0.0,
        }
    )
    composite, shnor, groups, covariates = _inputs()
    # School 2 enters the list in 2023 only: the 2022 → 2023 transition has one entry.
    shnor = shnor.with_columns(
        is_shnor=pl.when((pl.col("school_id") == 2) & (pl.col("year") == 2023))
        .then(True)
        .otherwise("is_shnor")
    )
    features, rises = decline_features(composite, shnor, groups, covariates, None, m)
    out, warnings = decline_risk(features, rises, m, 2024)
    assert warnings == [] and out["forecast_method"].unique().to_list() == ["logit"]
    assert out["p"].is_between(0, 1).all() and out["watch"].all()
    assert any(
        r.startswith("Риск попадания в список шнор") or "P = " in r for r in out["reasons"][0]
    )
