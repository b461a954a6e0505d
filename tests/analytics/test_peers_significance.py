"""The column forms of the tests (`significance_frame`) against the scalar ones (`significance`):
the same numbers, within 1e-12 (in practice to the last bit)."""

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics import significance as scalar
from opora.analytics.significance_frame import (
    lgamma_expr,
    newcombe_exprs,
    t_quantile_frame,
    t_two_sided_p_frame,
    welch_frame,
    wilson_exprs,
)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(a))


def test_reference_values():
    # t tables: t(0,975; 10) = 2,228139, P(|T10| ≥ 2) = 0,073388; Γ(4,5) = 11,631728.
    q = t_quantile_frame(0.95, pl.Series([10.0, 1.0, 2.5, 30.0, 1000.0]))
    assert abs(q[0] - 2.228139) < 1e-6 and abs(q[1] - 12.706205) < 1e-6
    assert q.to_list() == [scalar.t_quantile(0.95, df) for df in (10.0, 1.0, 2.5, 30.0, 1000.0)]
    assert abs(t_two_sided_p_frame(pl.Series([2.0]), pl.Series([10.0]))[0] - 0.073388) < 1e-6
    x = pl.DataFrame({"x": [4.5, 1.0, 2.0, 0.5, 1e-25, 7.25]})
    got = x.select(lgamma_expr(pl.col("x")).alias("g"))["g"].to_list()
    assert abs(math.exp(got[0]) - 11.631728) < 1e-6
    assert got == [math.lgamma(v) for v in x["x"]]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1, 500)), min_size=2, max_size=30))
def test_wilson_and_newcombe(pairs):
    ks = [min(k, n) for k, n in pairs]
    ns = [n for _, n in pairs]
    frame = pl.DataFrame({"k1": ks, "n1": ns, "k2": ks[::-1], "n2": ns[::-1]})
    k1, n1, k2, n2 = (pl.col(c) for c in ("k1", "n1", "k2", "n2"))
    wl, wh = wilson_exprs(k1, n1, 0.9)
    lo, hi = newcombe_exprs(k1, n1, k2, n2, 0.9)
    out = frame.select(wl=wl, wh=wh, lo=lo, hi=hi)
    for row, k, n, kk, nn in zip(out.iter_rows(), ks, ns, ks[::-1], ns[::-1], strict=True):
        expected = (*scalar.wilson(k, n, 0.9), *scalar.newcombe(k, n, kk, nn, 0.9))
        assert all(_close(a, b) for a, b in zip(expected, row, strict=True))


SIDE = st.tuples(st.floats(0, 40), st.floats(1e-3, 200) | st.just(0.0), st.integers(1, 3000))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(SIDE, SIDE), min_size=1, max_size=30), st.sampled_from([0.9, 0.95, 0.99]))
def test_welch(rows, confidence):
    cols = list(zip(*[(*a, *b) for a, b in rows], strict=True))
    out = welch_frame(*(pl.Series(c) for c in cols), confidence)
    for (a, b), row in zip(rows, out.iter_rows(named=True), strict=True):
        expected = scalar.welch(*a, *b, confidence)
        assert row["defined"] == (expected is not None)
        if expected is not None:
            got = (row["t"], row["df"], row["p_value"], row["ci_low"], row["ci_high"])
            assert all(_close(x, y) for x, y in zip(expected, got, strict=True)), (a, b)
