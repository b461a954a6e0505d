"""Input frame validation."""

import polars as pl
import pytest

from opora.analytics.schemas import (
    SCHOOLS,
    STUDENT_RESULTS,
    FrameSchemaError,
    lazy_rows,
    validate_frame,
)


def test_missing_and_wrong_columns_are_named():
    with pytest.raises(FrameSchemaError, match="region_id"):
        validate_frame(pl.DataFrame({"school_id": [1]}), SCHOOLS)
    frame = pl.DataFrame(
        {
            "school_id": ["a"],
            "municipality_id": [1],
            "region_id": [1],
            "is_urban": [True],
            "school_type": ["sosh"],
        }
    )
    with pytest.raises(FrameSchemaError, match="school_id: String"):
        validate_frame(frame, SCHOOLS)


def test_conformed_frame_has_all_columns_and_rejects_duplicates():
    frame = pl.DataFrame(
        {
            "school_id": [1, 1],
            "municipality_id": [1, 1],
            "region_id": [1, 1],
            "is_urban": [True, True],
            "school_type": ["sosh", "sosh"],
        }
    )
    with pytest.raises(FrameSchemaError, match="duplicate"):
        validate_frame(frame, SCHOOLS)
    out = validate_frame(frame.head(1), SCHOOLS)
    assert out.columns == list(SCHOOLS.columns) and out["distance_km"][0] is None


def test_a_lazy_frame_is_checked_for_nulls_in_one_pass():
    rows = pl.DataFrame(
        {
            "school_id": [1, None],
            "year": [2024, 2024],
            "procedure": ["vpr", "vpr"],
            "subject": ["rus", "rus"],
            "grade": [4, 4],
            "period": ["main", "main"],
            "mark": [3, 4],
        }
    )
    out = lazy_rows(rows.lazy(), STUDENT_RESULTS)  # projected, not read
    assert out.collect_schema()["mark"] == pl.Int64()
    with pytest.raises(FrameSchemaError, match="nulls in required columns"):
        lazy_rows(rows.lazy(), STUDENT_RESULTS, check_nulls=True)
    with pytest.raises(FrameSchemaError, match="missing required columns"):
        lazy_rows(rows.lazy().drop("grade"), STUDENT_RESULTS)
