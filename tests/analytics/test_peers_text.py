"""`pp_expr` and `p_expr` (the reasons of the comparisons with similar schools) give exactly the
text of `fmt_pp` and `fmt_p`."""

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.text import fmt_p, fmt_pp, p_expr, pp_expr

DIFFS = [0.0, -0.0, 1e-9, -1e-9, 0.0005, -0.0005, 0.00049999999, 0.3, -0.3, 0.1 - 0.3, 1.0, -1.0]
P_VALUES = [0.0, 1e-300, 0.0009999999, 0.001, 0.0010004999, 0.0015, 0.0205, 0.5, 0.9995, 1.0]


def _pp(values: list[float], digits: int) -> list[str]:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    return frame.select(pp_expr(pl.col("v"), digits).alias("t"))["t"].to_list()


def _p(values: list[float]) -> list[str]:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    return frame.select(p_expr(pl.col("v")).alias("t"))["t"].to_list()


def test_tricky_values_read_the_same():
    for digits in range(3):
        assert _pp(DIFFS, digits) == [fmt_pp(v, digits) for v in DIFFS]
    assert _p(P_VALUES) == [fmt_p(v) for v in P_VALUES]
    assert _pp([0.12, -0.0004], 1) == ["+12,0\u00a0п.п.", "0,0\u00a0п.п."]
    assert _p([0.0205, 0.0004, float("nan")]) == ["p = 0,021", "p < 0,001", "p = —"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e12, 1e12) | st.just(math.nan), min_size=1, max_size=40))
def test_any_difference_reads_the_same(values):
    for digits in range(3):
        assert _pp(values, digits) == [fmt_pp(v, digits) for v in values]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 1) | st.integers(0, 10**6).map(lambda k: k / 10**6), min_size=1),
)
def test_any_p_value_reads_the_same(values):
    assert _p(values) == [fmt_p(v) for v in values]
    assert all(math.isfinite(v) for v in values)
