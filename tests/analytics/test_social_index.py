"""ИСБШ and ССУ (METHODOLOGY §6) on hand-built frames."""

import polars as pl
import pytest

from opora.analytics.methodology import load_preset
from opora.analytics.social_index import social_index

from .frames import schools

M = load_preset()
SCHOOLS = schools([(1, 1, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 2, 2)], rural={1})
# Only SP is reported → it is the only collected variable; coverage 1 where present.
CONTEXT = pl.DataFrame(
    {
        "school_id": [1, 2, 3, 4, 5],
        "year": [2021] * 5,
        "single_parent_share": [30.0, 10.0, 20.0, None, 99.0],
    }
)


def _rows(context=CONTEXT):
    return {r["school_id"]: r for r in social_index(context, SCHOOLS, M).to_dicts()}


def test_index_is_a_t_score_of_the_signed_z():
    # Region 1 SP = 0,30 / 0,10 / 0,20: mean 0,20, sd 0,10 → z = 1, −1, 0; sign −1 →
    # ISB_raw = −1, 1, 0; sd(ISB_raw) = 1 → ISB = 40, 60, 50.
    rows = _rows()
    assert [rows[s]["isb"] for s in (1, 2, 3)] == pytest.approx([40.0, 60.0, 50.0])
    # Hazen percentiles among 3: (1 − 0,5)/3, (3 − 0,5)/3, (2 − 0,5)/3 × 100.
    assert rows[1]["isb_percentile"] == pytest.approx(100 / 6)
    assert rows[2]["isb_percentile"] == pytest.approx(250 / 3)


def test_missing_school_gets_no_index_and_says_so():
    # School 4 reports nothing of the one collected variable (SP): coverage 0 < 0,70.
    row = _rows()[4]
    assert row["isb"] is None and row["reasons"][0].startswith("ИСБШ не рассчитан")


def test_ssu_by_percentile_and_by_flags_with_figures():
    context = CONTEXT.with_columns(
        unemployed_parents_share=pl.Series([64.0, 5.0, 5.0, None, None]),
        low_income_share=pl.Series([20.0, 5.0, 5.0, None, None]),
    )
    row = _rows(context)[1]
    # Percentile 16,7 ≤ 20 and flags SP 30 % ≥ 30 %, UNEMP 64 % ≥ 20 %, LOWINC 20 % ≥ 20 %, rural.
    assert row["is_ssu"] and row["context_flags"] == 4
    assert any("семьи с безработными родителями 64\u00a0%" in r for r in row["reasons"])
    assert not _rows(context)[2]["is_ssu"]


def test_other_region_does_not_change_the_index():
    alone = social_index(CONTEXT.filter(pl.col("school_id") != 5), SCHOOLS, M)
    full = social_index(CONTEXT, SCHOOLS, M).filter(pl.col("school_id") != 5)
    assert alone.equals(full)
