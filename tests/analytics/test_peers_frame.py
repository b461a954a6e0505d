"""The comparisons with similar schools and with the region over whole columns give what the
former row-by-row code (`peers_rowwise`) gave: the same rows, the same Russian reasons, the same
numbers within 1e-12 (the tests bit for bit; the pooled sums of the peers may differ in the
last bits, being added by slices), on a generated country with the cases
that matter — ties of percentile, settlement types too few for a pool, unknown marks or
variances, zero variances (Welch undefined), df below 3, between 3 and 30 and above."""

import math
import random

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.methodology import load_preset
from opora.analytics.peers import compare_with_peers, compare_with_region, peer_groups

from . import peers_rowwise as rowwise
from .frames import schools as school_frame

M = load_preset().with_overrides({"general.n_min": 2, "similar.k_peers": 4, "similar.min_peers": 3})
YEAR = 2024
# (procedure, subject, grade): ОГЭ without variances (school aggregates), ЕГЭ base with a
# zero variance everywhere (Welch undefined), ВПР with every case of df.
PROCEDURES = [("vpr", "math", 4), ("vpr", "rus", 5), ("oge", "math", 9), ("ege_base", "math", 11)]


def _country(seed: int, sizes=(40, 12, 3)) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(schools, covariates, groups) of regions of the given numbers of schools."""
    rnd = random.Random(seed)
    rows, cov, groups = [], [], []
    school = 0
    for region, size in enumerate(sizes, start=1):
        for _ in range(size):
            school += 1
            rows.append((school, region * 10 + school % 3, region))
            pct = None if rnd.random() < 0.05 else float(rnd.choice(range(0, 101, 5)))
            rural = None if rnd.random() < 0.05 else float(rnd.random() < 0.25)
            cov.append({"school_id": school, "year": YEAR, "isb_percentile": pct, "RURAL": rural})
            cov.append(
                {"school_id": school, "year": YEAR - 1, "isb_percentile": 50.0, "RURAL": 0.0}
            )
            for year in (YEAR - 1, YEAR):
                for procedure, subject, grade in PROCEDURES:
                    if rnd.random() < 0.1:
                        continue
                    n = rnd.choice([1, 2, 3, 4, 7, 15, 25, 60, 200])
                    known = None if rnd.random() < 0.05 else rnd.choice([n, n, n - 1, 0])
                    fail = None if not known else rnd.randint(0, known)
                    if procedure == "oge":
                        var = None
                    elif procedure == "ege_base":
                        var = 0.0
                    else:
                        var = None if n < 2 else rnd.choice([0.0, rnd.uniform(0.5, 60)])
                    groups.append(
                        {
                            "school_id": school,
                            "year": year,
                            "procedure": procedure,
                            "subject": subject,
                            "grade": grade,
                            "n": n,
                            "n_fail": fail,
                            "n_fail_known": known,
                            "mean_score": 12.0 if var == 0.0 else round(rnd.gauss(12, 4), 3),
                            "score_var": var,
                        }
                    )
    schema = {"school_id": pl.Int64, "year": pl.Int64, "isb_percentile": pl.Float64}
    covariates = pl.DataFrame(cov, schema={**schema, "RURAL": pl.Float64})
    group_schema = {
        "school_id": pl.Int64,
        "year": pl.Int64,
        "procedure": pl.String,
        "subject": pl.String,
        "grade": pl.Int64,
        "n": pl.Int64,
        "n_fail": pl.Int64,
        "n_fail_known": pl.Int64,
        "mean_score": pl.Float64,
        "score_var": pl.Float64,
    }
    return school_frame(rows), covariates, pl.DataFrame(groups, schema=group_schema)


def _assert_same(old: pl.DataFrame, new: pl.DataFrame) -> None:
    assert new.schema == old.schema and new.height == old.height
    floats = [c for c, t in old.schema.items() if t == pl.Float64]
    exact = [c for c in old.columns if c not in floats]
    assert new.select(exact).equals(old.select(exact))
    for c in floats:
        a, b = old[c], new[c]
        assert a.is_null().equals(b.is_null()), c
        for x, y in zip(a.drop_nulls(), b.drop_nulls(), strict=True):
            assert abs(x - y) <= 1e-12 * max(1.0, abs(x)), (c, x, y)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_rows_reasons_and_numbers_as_row_by_row(seed):
    schools, covariates, groups = _country(seed)
    peers = peer_groups(covariates, schools, M, YEAR)
    assert peers.equals(rowwise.peer_groups(covariates, schools, M, YEAR))
    old = pl.concat(
        [
            rowwise.compare_with_region(groups, schools, M, YEAR),
            rowwise.compare_with_peers(groups, peers, M, YEAR),
        ]
    )
    new = pl.concat(
        [
            compare_with_region(groups, schools, M, YEAR),
            compare_with_peers(groups, peers, M, YEAR),
        ]
    )
    _assert_same(old, new)
    # The comparison is not vacuous: both tests, both references, both verdicts, and the
    # Newton (df < 30) and closed-form (df ≥ 30) quantiles occur.
    assert new.height > 300
    assert set(new["indicator"]) == {"fail_share", "mean_score"}
    assert set(new["comparison"]) == {"region", "peers"}
    assert set(new["significant"]) == {True, False}
    assert set(new.filter(pl.col("test") == "welch")["procedure"]) == {"vpr"}
    df = new["reason"].str.extract(r"df = (\d+),").cast(pl.Int64).drop_nulls()
    assert df.min() < 3 and df.max() > 30


def test_every_row_of_a_school_against_the_scalar_tests():
    """A Welch row of the region comparison recomputed by hand: pooled rest of the region, then
    the scalar test."""
    schools, _, groups = _country(4)
    out = compare_with_region(groups, schools, M, YEAR).filter(pl.col("test") == "welch")
    row = out.row(0, named=True)
    g = groups.filter(
        (pl.col("year") == YEAR)
        & (pl.col("procedure") == row["procedure"])
        & (pl.col("subject") == row["subject"])
        & (pl.col("n") >= 2)
    )
    region = schools.filter(pl.col("school_id") == row["school_id"])["region_id"].item()
    ids = schools.filter(pl.col("region_id") == region)["school_id"]
    g = g.filter(pl.col("school_id").is_in(ids.implode()))
    own = g.filter(pl.col("school_id") == row["school_id"]).row(0, named=True)
    rest = g.filter(pl.col("school_id") != row["school_id"])
    n2 = rest["n"].sum()
    m2 = (rest["n"] * rest["mean_score"]).sum() / n2
    ss = ((rest["n"] - 1) * rest["score_var"]).sum() + (
        rest["n"] * (rest["mean_score"] - m2) ** 2
    ).sum()
    _, df, p, lo, _ = rowwise.welch(
        own["mean_score"], own["score_var"], own["n"], m2, ss / (n2 - 1), n2, 0.95
    )
    assert math.isclose(row["p_value"], p, rel_tol=1e-9) and math.isclose(row["ci_low"], lo)
    assert f"df = {rowwise.fmt_num(df, 1)}" in row["reason"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 3),
            st.one_of(st.none(), st.sampled_from([0.0, 10.0, 12.5, 50.0, 50.0, 87.5, 100.0])),
            st.one_of(st.none(), st.sampled_from([0.0, 1.0])),
        ),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 6),
    st.integers(1, 5),
    st.booleans(),
)
def test_peer_groups_as_every_pair_ranked(rows, k, min_peers, exact):
    """Ties of percentile anywhere, unknown settlement types, pools too small or empty."""
    m = M.with_overrides(
        {"similar.k_peers": k, "similar.min_peers": min_peers, "similar.exact_on_rural": exact}
    )
    schools = school_frame([(i + 1, r, r) for i, (r, _, _) in enumerate(rows)])
    covariates = pl.DataFrame(
        {
            "school_id": list(range(1, len(rows) + 1)),
            "year": [YEAR] * len(rows),
            "isb_percentile": [p for _, p, _ in rows],
            "RURAL": [u for _, _, u in rows],
        },
        schema={
            "school_id": pl.Int64,
            "year": pl.Int64,
            "isb_percentile": pl.Float64,
            "RURAL": pl.Float64,
        },
    )
    assert peer_groups(covariates, schools, m, YEAR).equals(
        rowwise.peer_groups(covariates, schools, m, YEAR)
    )
