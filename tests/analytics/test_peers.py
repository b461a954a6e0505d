"""«Похожие школы»: peer groups by ИСБШ and named tests (Wilson/Newcombe, Welch)."""

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.methodology import load_preset
from opora.analytics.peers import compare_with_peers, compare_with_region, peer_groups
from opora.analytics.results import group_results
from opora.analytics.significance import betainc, newcombe, t_two_sided_p, welch, wilson

from .frames import schools

M = load_preset().with_overrides({"similar.k_peers": 3, "similar.min_peers": 2})
PCT = {1: 50.0, 2: 45.0, 3: 60.0, 4: 10.0, 5: 52.0, 6: 48.0}
SCHOOLS = schools([(s, 1, 1) for s in PCT])


def _covariates(pct=PCT):
    ids = sorted(pct)
    return pl.DataFrame(
        {
            "school_id": ids,
            "year": [2024] * len(ids),
            "isb_percentile": [pct[s] for s in ids],
            "RURAL": [0.0] * len(ids),
        }
    )


def _students(twos: dict[int, int]) -> pl.DataFrame:
    rows = []
    for s, k in twos.items():
        rows += [{"school_id": s, "mark": 2, "primary_score": 5}] * k
        rows += [{"school_id": s, "mark": 3, "primary_score": 15}] * (20 - k)
    return pl.DataFrame(rows).with_columns(
        year=pl.lit(2024),
        procedure=pl.lit("vpr"),
        subject=pl.lit("math"),
        grade=pl.lit(6),
        period=pl.lit("main"),
    )


def test_reference_values_of_the_distributions():
    lo, hi = wilson(8, 20, 0.95)  # Wilson (1927): 0,2188–0,6134 for 8 of 20
    assert (round(lo, 4), round(hi, 4)) == (0.2188, 0.6134)
    assert abs(t_two_sided_p(2.0, 10) - 0.073388) < 1e-6  # t tables: P(|T10| ≥ 2) = 0,0734
    assert abs(betainc(2, 3, 0.4) - 0.5248) < 1e-12  # I_0,4(2, 3) = 1 − 0,6⁴ − 4·0,4·0,6³ = 0,5248


def test_peer_group_nearest_by_isb():
    # School 1 (50): distances 5 → 2, 6 → 2, 2 → 5, 3 → 10, 4 → 40; k = 3, ties by id.
    peers = peer_groups(_covariates(), SCHOOLS, M, 2024).filter(pl.col("school_id") == 1)
    assert peers["peer_id"].to_list() == [5, 6, 2]


def test_share_and_mean_differences_with_named_tests():
    twos = {s: 2 for s in PCT} | {1: 8}
    groups = group_results(M, students=_students(twos))
    out = compare_with_peers(groups, peer_groups(_covariates(), SCHOOLS, M, 2024), M, 2024)
    share, mean = out.filter(pl.col("school_id") == 1).sort("indicator").rows(named=True)
    # Share: 8/20 = 40 % vs peers 6/60 = 10 %; Newcombe interval from the two Wilson intervals.
    l1, _u1 = wilson(8, 20, 0.95)
    _l2, u2 = wilson(6, 60, 0.95)
    assert share["diff"] == 0.4 - 0.1 and share["significant"] and share["test"] == "newcombe"
    assert abs(share["ci_low"] - (0.3 - math.sqrt((0.4 - l1) ** 2 + (u2 - 0.1) ** 2))) < 1e-12
    assert (share["ci_low"], share["ci_high"]) == newcombe(8, 20, 6, 60, 0.95)
    # Mean: school 11 (var (8·36 + 12·16)/19 = 25,263), peers 14 (pooled var 540/59 = 9,1525, N 60).
    # se² = 25,263/20 + 9,1525/60 = 1,41570; t = −3/1,18983 = −2,5214;
    # df = 1,4157² / (1,26316²/19 + 0,15254²/59) = 23,75.
    assert mean["test"] == "welch" and abs(mean["diff"] + 3) < 1e-12
    assert (
        abs(
            mean["p_value"]
            - t_two_sided_p(-3 / math.sqrt(25.263157894736842 / 20 + 540 / 59 / 60), 23.754)
        )
        < 1e-3
    )
    assert mean["significant"]
    assert share["reason"].startswith(
        "ВПР, математика, 6 класс, 2024: доля «2» 40,0\u00a0% (8 из 20; 95\u00a0% ДИ Уилсона 21,9\u00a0% – 61,3\u00a0%)"
    )


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=6, max_size=6), st.randoms(use_true_random=False))
def test_peer_properties(ks, rnd):
    twos = dict(zip(sorted(PCT), ks, strict=True))
    students = _students(twos)
    groups = group_results(M, students=students)
    base = compare_with_peers(groups, peer_groups(_covariates(), SCHOOLS, M, 2024), M, 2024)
    shuffled = group_results(
        M, students=students.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 99))
    )
    cov = _covariates().sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 99))
    assert compare_with_peers(shuffled, peer_groups(cov, SCHOOLS, M, 2024), M, 2024).equals(base)
    # Schools of another region are never peers.
    other = SCHOOLS.vstack(schools([(9, 2, 2)]))
    cov9 = pl.concat([_covariates(), _covariates({9: 50.0})])
    students9 = pl.concat([students, _students({9: 20})])
    with9 = compare_with_peers(
        group_results(M, students=students9), peer_groups(cov9, other, M, 2024), M, 2024
    )
    assert with9.filter(pl.col("school_id") != 9).equals(base)


def test_comparison_with_the_rest_of_the_region():
    # School 1 against schools 2–6 (itself left out): «2» 10 of 100 = 10 %; mean 14 with pooled
    # variance (5·19·180/19 + 0)/99 = 900/99 = 9,0909, N = 100.
    twos = {s: 2 for s in PCT} | {1: 8}
    groups = group_results(M, students=_students(twos))
    out = compare_with_region(groups, SCHOOLS, M, 2024).filter(pl.col("school_id") == 1)
    share, mean = out.sort("indicator").rows(named=True)
    assert (
        share["peer_value"] == 0.1
        and share["peer_schools"] == 5
        and share["comparison"] == "region"
    )
    assert (share["ci_low"], share["ci_high"]) == newcombe(8, 20, 10, 100, 0.95)
    expected = welch(11.0, 480 / 19, 20, 14.0, 900 / 99, 100, 0.95)
    assert abs(mean["p_value"] - expected[2]) < 1e-9
    assert "по остальным 5 школам региона" in share["reason"]
