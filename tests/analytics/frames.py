"""Tiny hand-built frames shared by the analytics tests."""

import polars as pl


def schools(rows: list[tuple[int, int, int]], rural: set[int] = frozenset()) -> pl.DataFrame:
    """(school_id, municipality_id, region_id) rows."""
    return pl.DataFrame(
        {
            "school_id": [r[0] for r in rows],
            "municipality_id": [r[1] for r in rows],
            "region_id": [r[2] for r in rows],
            "is_urban": [r[0] not in rural for r in rows],
            "school_type": ["sosh"] * len(rows),
        }
    )


def vpr(school: int, year: int, subject: str, grade: int, n: int, twos: int, mean: float) -> dict:
    """A ВПР aggregate row: `twos` marks «2», the rest «3», mean primary score `mean`."""
    return {
        "school_id": school,
        "year": year,
        "procedure": "vpr",
        "subject": subject,
        "grade": grade,
        "period": "main",
        "participants": n,
        "count_2": twos,
        "count_3": n - twos,
        "count_4": 0,
        "count_5": 0,
        "mean_primary_score": mean,
    }
