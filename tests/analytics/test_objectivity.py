"""M5: ВПР vs journal marks (METHODOLOGY §5.2) on hand-built students."""

import polars as pl

from opora.analytics.methodology import load_preset
from opora.analytics.objectivity_journal import journal_vs_vpr

from .frames import schools

M = load_preset()


def _students(school: int, pairs: list[tuple[int, int, int]]) -> list[dict]:
    rows = []
    for mark, journal, count in pairs:
        rows += [
            {
                "school_id": school,
                "year": 2024,
                "procedure": "vpr",
                "subject": "rus",
                "grade": 4,
                "period": "main",
                "mark": mark,
                "journal_term": journal,
            }
        ] * count
    return rows


def test_shares_and_absolute_fallback_markers():
    # School 1: 20 students; ВПР 3 vs journal 5 ×6 (down, gap 2), 4 vs 4 ×10, 5 vs 4 ×4 (up).
    # down 6/20 = 30 %, same 50 %, up 20 %, gap2 30 %. One school < 20 → absolute thresholds:
    # up 20 % < 25 % → no; down 30 % < 50 % → no; gap2 30 % ≥ 10 % → M5_gap.
    frame = pl.DataFrame(_students(1, [(3, 5, 6), (4, 4, 10), (5, 4, 4)]))
    row = journal_vs_vpr(frame, schools([(1, 1, 1)]), M).row(0, named=True)
    assert (row["down"], row["same"], row["up"], row["gap2"]) == (0.3, 0.5, 0.2, 0.3)
    assert not row["m5_vpr_inflated"] and not row["m5_journal_inflated"] and row["m5_gap"]
    assert row["reasons"][0] == (
        "ВПР, русский язык, 4 класс, 2024: понизили 30,0\u00a0%, подтвердили 50,0\u00a0%, "
        "повысили 20,0\u00a0% (N = 20)"
    )


def test_small_groups_are_not_evaluated():
    frame = pl.DataFrame(_students(1, [(4, 4, 9)]))
    assert journal_vs_vpr(frame, schools([(1, 1, 1)]), M).height == 0
