"""Student rows grouped by one packed integer key give exactly the groups by the key columns."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.ordering import plan_packing
from opora.analytics.results import GROUP_KEY, VALUES, _by_columns, _packed

ROW = st.tuples(
    st.integers(-3, 40),  # school_id (negative ids pack too)
    st.integers(2022, 2024),
    st.sampled_from(["vpr", "oge", "ege", "ege_base"]),
    st.sampled_from(["rus", "math", "math_profile", "bio"]),
    st.integers(4, 11),
    st.one_of(st.none(), st.integers(2, 5), st.integers(1, 5)),  # mark (1: marks not packed)
    st.one_of(st.none(), st.integers(0, 30)),  # primary score
    st.one_of(st.none(), st.integers(0, 100)),  # test score
)
SCHEMA = {
    "school_id": pl.Int64,
    "year": pl.Int64,
    "procedure": pl.String,
    "subject": pl.String,
    "grade": pl.Int64,
    "mark": pl.Int64,
    "primary_score": pl.Int64,
    "test_score": pl.Int64,
}
REFERENCE = pl.DataFrame(
    {
        "year": [2023, 2024, 2024],
        "procedure": ["ege", "ege", "ege"],
        "subject": ["rus", "rus", "bio"],
        "min_score": [24, 24, None],
        "high_score": [None, 80, 80],
    },
    schema={
        **{k: SCHEMA[k] for k in ("year", "procedure", "subject")},
        "min_score": pl.Int64,
        "high_score": pl.Int64,
    },
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=80))
def test_packed_groups_equal_the_groups_by_columns(rows):
    students = pl.DataFrame(rows, schema=SCHEMA, orient="row").lazy()
    packing = plan_packing(students, GROUP_KEY, VALUES)
    assert packing is not None
    packed = _packed(students, REFERENCE, packing)
    assert packed is not None
    assert packed.equals(_by_columns(students, REFERENCE))


def test_a_value_not_listed_or_a_null_key_is_not_packed():
    rows = [(1, 2024, "vpr", "astronomy", 5, 3, 10, None)]
    students = pl.DataFrame(rows, schema=SCHEMA, orient="row").lazy()
    packing = plan_packing(students, GROUP_KEY, VALUES)
    assert packing is not None and _packed(students, REFERENCE, packing) is None
    nulls = pl.DataFrame([(None, 2024, "vpr", "rus", 5, 3, 10, None)], schema=SCHEMA, orient="row")
    assert plan_packing(nulls.lazy(), GROUP_KEY, VALUES) is None
