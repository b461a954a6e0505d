"""Indicator library: every registered unit is documented and has a golden value here."""

import polars as pl
import pytest

from opora.analytics.indicators import REGISTRY, compute_indicators, weighted_over_years
from opora.analytics.methodology import load_preset
from opora.analytics.results import group_results

from .frames import schools

M = load_preset()
SCHOOLS = schools([(1, 10, 100), (2, 10, 100), (3, 20, 100)])


def _students() -> pl.DataFrame:
    rows = []
    # School 1, ВПР math 6: 20 students, marks 2×4, 3×6, 4×6, 5×4.
    for mark, count in ((2, 4), (3, 6), (4, 6), (5, 4)):
        rows += [
            {"school_id": 1, "procedure": "vpr", "subject": "math", "grade": 6, "mark": mark}
        ] * count
    # School 1, ОГЭ math: 10 students, 2×1, 3×5, 4×4.
    for mark, count in ((2, 1), (3, 5), (4, 4)):
        rows += [
            {"school_id": 1, "procedure": "oge", "subject": "math", "grade": 9, "mark": mark}
        ] * count
    # School 1, ЕГЭ rus: 10 scores 20, 30, 40, 50, 60, 70, 80, 85, 90, 100 (minimum 24, high 81).
    for score in (20, 30, 40, 50, 60, 70, 80, 85, 90, 100):
        rows.append(
            {"school_id": 1, "procedure": "ege", "subject": "rus", "grade": 11, "test_score": score}
        )
    # School 2, ВПР math 6: only 5 students, all «2» (below n_min = 10).
    rows += [{"school_id": 2, "procedure": "vpr", "subject": "math", "grade": 6, "mark": 2}] * 5
    frame = pl.DataFrame(rows, schema_overrides={"mark": pl.Int64, "test_score": pl.Int64})
    return frame.with_columns(year=pl.lit(2024), period=pl.lit("main"))


REFERENCE = pl.DataFrame(
    {
        "year": [2024],
        "procedure": ["ege"],
        "subject": ["rus"],
        "min_score": [24],
        "high_score": [81],
    }
)
CONTEXT = pl.DataFrame(
    {
        "school_id": [1, 2],
        "year": [2024, 2024],
        "teachers_total": [9, 20],
        "teachers_over_55": [4, 5],
        "teachers_highest_category": [1, 5],
        "teachers_first_category": [7, 5],
        "teachers_without_subject_training": [1, 2],
        "computers_total": [16, 10],
        "computers_outdated": [15, 0],
        "classrooms_total": [8, 10],
        "classrooms_with_projector": [1, 10],
        "classrooms_with_board": [2, 5],
        "students_total": [160, 50],
        "internet_speed_mbps": [50.0, 100.0],
    }
)

# code → (level, unit_id, expected value); arithmetic in the comments.
GOLDEN = {
    "vpr_fail_share": ("school", 1, 20.0),  # 4 / 20 × 100
    "vpr_good_share": ("school", 1, 50.0),  # (6 + 4) / 20 × 100
    "vpr_mean_mark": ("school", 1, 3.5),  # (2·4 + 3·6 + 4·6 + 5·4) / 20 = 70 / 20
    "oge_fail_share": ("school", 1, 10.0),  # 1 / 10 × 100
    "oge_good_share": ("school", 1, 40.0),  # 4 / 10 × 100
    "oge_mean_mark": ("school", 1, 3.3),  # (2 + 15 + 16) / 10
    "ege_mean_score": ("school", 1, 62.5),  # 625 / 10
    "ege_below_min_share": ("school", 1, 10.0),  # one score (20) below 24 → 1 / 10
    "ege_high_share": ("school", 1, 30.0),  # 85, 90, 100 ≥ 81 → 3 / 10
    "teachers_55plus": ("municipality", 10, 9 / 29 * 100),  # (4 + 5) / (9 + 20), pooled
    "category_high_first": ("school", 1, 8 / 9 * 100),  # (1 + 7) / 9
    "non_specialist": ("region", 100, 3 / 29 * 100),  # (1 + 2) / 29
    "computers_outdated_share": ("school", 1, 93.75),  # 15 / 16
    "classrooms_projector_share": ("region", 100, 11 / 18 * 100),  # (1 + 10) / (8 + 10)
    "classrooms_board_share": ("school", 2, 50.0),  # 5 / 10
    "students_per_pc": ("school", 1, 10.0),  # 160 / 16
    "internet_mbps": ("municipality", 10, 75.0),  # mean of 50 and 100
}


def _value(level: str, unit_id: int, code: str):
    groups = group_results(M, students=_students(), reference=REFERENCE)
    frame = compute_indicators(M, SCHOOLS, groups, CONTEXT, level=level, codes=[code])
    return frame.filter(pl.col("unit_id") == unit_id).row(0, named=True)


def test_every_indicator_is_documented_and_has_a_golden_value():
    for code, ind in REGISTRY.items():
        assert ind.name and ind.formula and ind.unit, code
        assert ind.direction in ("higher_better", "lower_better"), code
        assert (ind.procedures and ind.numerator and ind.denominator) or ind.figure, code
        assert code in GOLDEN, f"indicator {code} has no golden test"


@pytest.mark.parametrize("code", sorted(GOLDEN))
def test_golden_value(code):
    level, unit_id, expected = GOLDEN[code]
    assert _value(level, unit_id, code)["value"] == pytest.approx(expected)


def test_small_group_is_suppressed_not_zero():
    row = _value("school", 2, "vpr_fail_share")
    assert row["status"] == "insufficient_n" and row["value"] is None and row["denominator"] == 5


def test_municipality_pools_students_not_school_values():
    # Municipality 10: school 1 (4 of 20) and school 2 (5 of 5) → 9 / 25 = 36 %, not (20 + 100)/2.
    assert _value("municipality", 10, "vpr_fail_share")["value"] == pytest.approx(36.0)


def test_year_weights_three_two_one():
    values = pl.DataFrame(
        {
            "code": ["x"] * 3,
            "level": ["school"] * 3,
            "unit_id": [1] * 3,
            "subject": [None] * 3,
            "year": [2024, 2023, 2022],
            "value": [10.0, 20.0, 40.0],
        }
    )
    # (3·10 + 2·20 + 1·40) / 6 = 110 / 6
    out = weighted_over_years(values, 2024, M)
    assert out["value"][0] == pytest.approx(110 / 6)
    # Without 2022: (3·10 + 2·20) / 5 = 14
    out = weighted_over_years(values.filter(pl.col("year") > 2022), 2024, M)
    assert out["value"][0] == pytest.approx(14.0)
