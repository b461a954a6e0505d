"""Clusters НОР, ОВЗ, РКН, ССУ, mathematics, Russian (METHODOLOGY §3)."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.clusters import assign_clusters
from opora.analytics.methodology import load_preset
from opora.analytics.results import group_results

from .frames import schools, vpr

M = load_preset()
SCHOOLS = schools([(s, 1, 1) for s in range(1, 6)])
MATH = [10.0, 2.0, 10.0, 11.0, 12.0]
RUS = [10.0, 10.0, 11.0, 9.0, 10.0]


def _inputs(math=MATH, rus=RUS, ovz=(12.0, 2.0, 3.0, 4.0, 5.0), rkn=(0.0, 0.0, 0.0, 0.0, 8.0)):
    ids = list(range(1, len(math) + 1))
    rows = [vpr(s, 2024, "math", 6, 20, 1, math[s - 1]) for s in ids]
    rows += [vpr(s, 2024, "rus", 5, 20, 1, rus[s - 1]) for s in ids]
    context = pl.DataFrame(
        {"school_id": ids, "year": [2024] * len(ids), "ovz_share": ovz, "rkn_share": rkn}
    )
    shnor = pl.DataFrame(
        {"school_id": ids, "year": [2024] * len(ids), "is_shnor": [s == 2 for s in ids]}
    )
    isb = pl.DataFrame(
        {
            "school_id": ids,
            "year": [2024] * len(ids),
            "isb_percentile": [10.0] + [50.0] * (len(ids) - 1),
            "context_flags": [0, 0, 3] + [0] * (len(ids) - 3),
        }
    )
    return context, group_results(M, aggregates=pl.DataFrame(rows)), shnor, isb


def _run(methodology=M, school_frame=SCHOOLS, **kwargs):
    context, groups, shnor, isb = _inputs(**kwargs)
    return assign_clusters(school_frame, context, groups, shnor, isb, methodology, 2024)


def test_clusters_by_hand():
    out = _run()
    # ОВЗ: school 1 12 % ≥ 10 % (also Hazen percentile (5 − 0,5)/5 = 0,9 ≥ 0,9).
    # РКН: school 5 8 % < 10 % but top decile: percentile 0,9 ≥ 0,9.
    # ССУ: school 1 ИСБШ percentile 10 ≤ 20; school 3 three context flags ≥ 3.
    # Math: mean 9, sd sqrt(64/4) = 4; school 2 z = (2 − 9)/4 = −1,75 ≤ −1; Russian z 0 → diff −1,75.
    # Russian: mean 10, sd sqrt(2/4) = 0,7071; school 4 z = −1,414; math z 0,5 → diff −1,914.
    assert out["clusters"].to_list() == [
        ["ОВЗ", "ССУ"],
        ["НОР", "Проблемы в обучении математике"],
        ["ССУ"],
        ["Проблемы в обучении русскому языку"],
        ["РКН"],
    ]
    reasons = out.filter(pl.col("school_id") == 2)["reasons"][0].to_list()
    assert reasons[1] == (
        "Проблемы в обучении математике: z = −1,75 (порог −1,0), доля «2» 5,0\u00a0% "
        "(порог 30,0\u00a0%); отставание от русского языка −1,75 (порог −0,5)."
    )


def test_registry_takes_the_clusters_the_methodology_lists():
    # default: НОР ∪ ССУ → schools 1 (ССУ), 2 (НОР), 3 (ССУ).
    assert _run()["in_registry"].to_list() == [True, True, True, False, False]
    only_nor = M.with_overrides({"clusters.registry": ["nor"]})
    assert _run(only_nor)["in_registry"].to_list() == [False, True, False, False, False]
    wide = M.with_overrides({"clusters.registry": ["nor", "rkn", "rus"]})
    assert _run(wide)["in_registry"].to_list() == [False, True, False, True, True]


def test_subject_problem_needs_a_gap_to_the_other_subject():
    # School 2 weak in both subjects: Russian 2 → its Russian z is also low, diff > −0,5.
    out = _run(rus=[10.0, 2.0, 11.0, 9.0, 10.0])
    assert not out.filter(pl.col("school_id") == 2)["math"][0]


MEANS = st.lists(st.floats(0, 30), min_size=5, max_size=5)


@settings(max_examples=30, deadline=None)
@given(MEANS, MEANS, st.floats(-2.0, 0.0), st.floats(0.0, 1.0), st.randoms(use_true_random=False))
def test_cluster_properties(math, rus, z_max, step, rnd):
    low = M.with_overrides({"clusters.subject_problem.z_max": z_max - step})
    high = M.with_overrides({"clusters.subject_problem.z_max": z_max})
    strict, loose = _run(low, math=math, rus=rus), _run(high, math=math, rus=rus)
    # A stricter (lower) z_max never adds a school to the mathematics cluster.
    assert set(strict.filter("math")["school_id"]) <= set(loose.filter("math")["school_id"])
    shuffled = SCHOOLS.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 1000))
    assert _run(high, shuffled, math=math, rus=rus).equals(loose)
