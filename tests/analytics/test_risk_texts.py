"""The risk item texts, built as Polars expressions, read exactly as the Python reference
`risks._item_text` for any mix of values (shares with counts, numbers, percentiles, no data)."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.context_indicators import context_figures
from opora.analytics.methodology import load_preset
from opora.analytics.risks import FAIL_SHARE, _item_text, risk_profile

M = load_preset()
COUNTS = st.one_of(st.none(), st.integers(0, 60))
SHARES = st.one_of(st.none(), st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 1)))
ROW = st.fixed_dictionaries(
    {
        "teachers_total": COUNTS,
        "teachers_over_55": COUNTS,
        "teachers_first_category": COUNTS,
        "vacancies_over_year": COUNTS,
        "computers_total": COUNTS,
        "computers_outdated": COUNTS,
        "students_total": st.one_of(st.none(), st.integers(0, 3000)),
        "avg_teacher_load": st.one_of(st.none(), st.floats(0, 40, allow_nan=False)),
        "internet_speed_mbps": st.one_of(st.none(), st.floats(0, 300, allow_nan=False)),
        "rkn_share": SHARES,
        "ovz_share": SHARES,
        "climate_index": SHARES,
        "teachers_iom_pk_share": SHARES,
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW, min_size=1, max_size=12))
def test_item_texts_read_as_the_python_reference(rows):
    n = len(rows)
    context = pl.DataFrame(
        [{"school_id": i + 1, "year": 2024, **row} for i, row in enumerate(rows)],
        schema_overrides={"avg_teacher_load": pl.Float64, "internet_speed_mbps": pl.Float64},
    )
    schools = pl.DataFrame(
        {
            "school_id": list(range(1, n + 1)),
            "municipality_id": [1] * n,
            "region_id": [1] * n,
            "is_urban": [True] * n,
            "school_type": ["sosh"] * n,
        }
    )
    items = risk_profile(context, schools, M).items
    figures = {
        **context_figures(float(M.param("risk_profile.hours_per_rate"))),
        FAIL_SHARE.code: FAIL_SHARE,
    }
    expected = [_item_text(row, figures) for row in items.iter_rows(named=True)]
    assert items["text"].to_list() == expected
