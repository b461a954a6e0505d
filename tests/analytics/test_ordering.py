"""`sort_rows` gives exactly `frame.sort(keys, nulls_last=True)` for keys identifying rows."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics import ordering
from opora.analytics.ordering import sort_rows


@pytest.fixture(scope="module")
def monkeypatch_small():
    """Pack keys even for tiny frames (normally only from `SMALL` rows on)."""
    small, ordering.SMALL = ordering.SMALL, 2
    yield
    ordering.SMALL = small


ROW = st.tuples(
    st.one_of(st.none(), st.integers(-(10**6), 10**6)),
    st.one_of(st.none(), st.sampled_from(["", "a", "b", "ä", "ВПР", "Z", "aa"])),
    st.one_of(st.none(), st.booleans()),
    st.integers(0, 3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, max_size=60, unique_by=lambda r: r[:3]), st.lists(st.booleans(), min_size=3))
def test_same_order_as_sort(monkeypatch_small, rows, descending):
    frame = pl.DataFrame(rows, schema=["i", "s", "b", "payload"], orient="row")
    keys, desc = ["s", "i", "b"], descending[:3]
    expected = frame.sort(keys, descending=desc, nulls_last=True)
    assert sort_rows(frame, keys, desc).equals(expected)


def test_floats_and_wide_keys_fall_back_to_sort(monkeypatch_small):
    frame = pl.DataFrame({"x": [2.5, 1.0, None], "y": [3, 1, 2]})
    assert sort_rows(frame, ["x"]).equals(frame.sort("x", nulls_last=True))
    wide = pl.DataFrame({"a": [2**62, 0, 5], "b": [2**40, 1, 0]})
    assert sort_rows(wide, ["a", "b"]).equals(wide.sort("a", "b"))


@settings(max_examples=100, deadline=None)
@given(st.lists(ROW, max_size=60))
def test_group_keys_are_equal_exactly_for_equal_keys(rows):
    frame = pl.DataFrame(rows, schema=["i", "s", "b", "payload"], orient="row").with_columns(
        f=pl.col("i").cast(pl.Float64)  # floats: the dense-rank fallback
    )
    keysets = [["s", "i", "b"], ["f", "s"], ["payload"]]
    for keys, key in zip(keysets, ordering.group_keys(frame, keysets), strict=True):
        tuples = frame.select(keys).rows()
        ids = key.to_list()
        assert len(set(ids)) == len(set(tuples))
        assert len(set(zip(ids, tuples, strict=True))) == len(set(tuples))
