"""The Polars formatting expressions give exactly the text of the Python formatters."""

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.text import DEFAULT_PROCEDURES, Labels, fmt_num, fmt_pct, num_expr, pct_expr

FLOATS = st.floats(allow_nan=True, allow_infinity=True, min_value=None, max_value=None).filter(
    lambda x: not math.isfinite(x) or abs(x) < 1e16
)
TRICKY = [
    None,
    0.0,
    -0.0,
    0.345,
    -0.345,
    0.05,
    0.15,
    2.675,
    1e-5,
    9.99e-6,
    -4e-7,
    0.0005,
    0.00049999999999999999,
    999.9999,
    -999.95,
    1 / 3,
    2 / 3,
    34.49999999999999,
    34.5,
    9_999_999_999_999.995,
    1e15,
    float("inf"),
    float("-inf"),
    float("nan"),
]


def _check(values: list[float | None]) -> None:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    for digits in range(4):
        got = frame.select(num_expr(pl.col("v"), digits).alias("t"))["t"].to_list()
        assert got == [fmt_num(v, digits) for v in values], digits
    # Shares are formatted × 100, so within 1e14.
    shares = [v for v in values if v is None or not math.isfinite(v) or abs(v) < 1e13]
    frame = pl.DataFrame({"v": shares}, schema={"v": pl.Float64})
    for digits in range(2):
        got = frame.select(pct_expr(pl.col("v"), digits).alias("t"))["t"].to_list()
        assert got == [fmt_pct(v, digits) for v in shares]


def test_tricky_values_read_the_same():
    _check(TRICKY)
    assert fmt_num(0.345, 2) == "0,35" and fmt_num(-0.004, 2) == "0,00"


@settings(max_examples=300, deadline=None)
@given(st.lists(FLOATS, min_size=1, max_size=40))
def test_any_float_reads_the_same(values):
    _check(values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=30), st.integers(1, 1000))
def test_shares_and_ratios_read_the_same(numerators, denominator):
    _check([n / denominator for n in numerators] + [n / 100 for n in numerators])


def test_group_labels_read_the_same():
    labels = Labels(procedures={**DEFAULT_PROCEDURES, "x": "Х"}, subjects={"rus": "русский язык"})
    rows = [
        ("vpr", "rus", 4, 2023),
        ("oge", "math", 9, 2024),
        ("ege", "math_profile", 11, 2022),
        ("x", "rus", None, 2021),
        ("vpr", "unknown", 7, 2020),
    ]
    frame = pl.DataFrame(rows, schema=["procedure", "subject", "grade", "year"], orient="row")
    got = frame.select(labels.group_expr().alias("t"))["t"].to_list()
    assert got == [labels.group(*row) for row in rows]
    assert got[1] == "ОГЭ, math, 2024" and got[0] == "ВПР, русский язык, 4 класс, 2023"
