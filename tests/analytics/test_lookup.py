"""`attach` is an inner join that keeps the order of the big frame."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.lookup import attach


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, 12)), max_size=40),
    st.lists(st.integers(0, 12), unique=True, max_size=10),
)
def test_attach_is_an_order_keeping_inner_join(keys, table_keys):
    frame = pl.DataFrame(
        {"k": keys, "v": list(range(len(keys)))}, schema={"k": pl.Int64, "v": pl.Int64}
    )
    table = pl.DataFrame(
        {"k": table_keys, "a": [k * 10 for k in table_keys], "b": [str(k) for k in table_keys]},
        schema={"k": pl.Int64, "a": pl.Int64, "b": pl.String},
    )
    expected = frame.join(table, on="k", how="inner", maintain_order="left")
    assert attach(frame, table, "k", ["a", "b"]).equals(expected)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-(10**9), 10**9)), max_size=30),
    st.lists(st.integers(-(10**9), 10**9), unique=True, min_size=1, max_size=10),
)
def test_sparse_keys_are_looked_up_by_value(keys, table_keys):
    keys = keys + table_keys[:3]
    frame = pl.DataFrame({"k": keys}, schema={"k": pl.Int64})
    table = pl.DataFrame(
        {"k": table_keys, "a": [str(k) for k in table_keys]},
        schema={"k": pl.Int64, "a": pl.String},
    )
    expected = frame.join(table, on="k", how="inner", maintain_order="left")
    assert attach(frame, table, "k", ["a"]).equals(expected)
