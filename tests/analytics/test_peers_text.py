"""`pp_expr` and `p_expr` (the reasons of the comparisons with similar schools) give exactly the
text of `fmt_pp` and `fmt_p`; the column formatters `num_series`, `pct_series`, `pp_series`,
`p_series` exactly the text of `fmt_num`, `fmt_pct`, `fmt_pp`, `fmt_p`."""

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.text import (
    fmt_num,
    fmt_p,
    fmt_pct,
    fmt_pp,
    num_series,
    p_expr,
    p_series,
    pct_series,
    pp_expr,
    pp_series,
)

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


# Halves of every digit count, their float neighbours, huge and tiny values, specials.
TIES = [k / 2000 for k in range(-41, 41)] + [0.345, 2.675, 1.0005, 12.345, 34.49999999999999]
TIES += [999_999_999.5, 1e9, 2.5e9 + 0.5, 9_999_999_999_999.995, 1e15, 1e-7, -4e-7, -0.0]
TIES += [math.nextafter(v, d) for v in (0.345, 2.675, 0.0005, 0.05) for d in (0, 1)]
TIES += [None, math.nan, math.inf, -math.inf]
# Decimal halves whose product by 10^digits is not exactly a half in floating point
# (0,145 · 100 = 14,499999999999998): rounding must follow the decimal form.
TIES += [(2 * k + 1) / (2 * 10**d) for d in (1, 2, 3) for k in range(0, 3000, 7)]


def _series_check(values: list[float | None]) -> None:
    s = pl.Series("v", values, dtype=pl.Float64)
    for digits in range(4):
        assert num_series(s, digits).to_list() == [fmt_num(v, digits) for v in values], digits
    shares = [v for v in values if v is None or not math.isfinite(v) or abs(v) < 1e13]
    s = pl.Series("v", shares, dtype=pl.Float64)
    for digits in range(2):
        assert pct_series(s, digits).to_list() == [fmt_pct(v, digits) for v in shares]
    deltas = [v for v in shares if v is not None]
    s = pl.Series("v", deltas, dtype=pl.Float64)
    assert pp_series(s).to_list() == [fmt_pp(v) for v in deltas]
    p_values = [abs(v) for v in deltas if abs(v) <= 1]
    s = pl.Series("v", p_values, dtype=pl.Float64)
    assert p_series(s).to_list() == [fmt_p(v) for v in p_values]


def test_column_formatters_on_ties_and_specials():
    _series_check(TIES)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=True, allow_infinity=True).filter(
            lambda x: not math.isfinite(x) or abs(x) < 1e16
        )
        | st.integers(-(10**7), 10**7).map(lambda k: k / 2000)
        | st.integers(0, 10**6).map(lambda k: k / 997),
        min_size=1,
        max_size=40,
    )
)
def test_column_formatters_on_any_float(values):
    _series_check(values)
