"""Planted ВПР inflation in a generated region: the `default` objectivity signs find it.

200 schools, ВПР Russian and mathematics in grades 4 and 5 (25 students each) and ОГЭ grade 9,
2022–2024. Schools 1–10 inflate ВПР in 2023 and 2024 the way the demo data does: +3 primary
points, every score just below the «3» boundary lifted onto it, journal marks following the
honest score. The other schools carry noise only (journal marks ±1 at random). The issue's
acceptance asks precision and recall of at least 0,9 on planted inflation.
"""

import random

import polars as pl

from opora.analytics.methodology import load_preset
from opora.analytics.pipeline import run_analysis

PLANTED = range(1, 11)


def _mark(score: int) -> int:
    return 2 if score < 6 else 3 if score < 10 else 4 if score < 15 else 5


def _region(n: int = 200, seed: int = 1) -> dict[str, pl.DataFrame]:
    rnd = random.Random(seed)
    schools, context, students = [], [], []
    for s in range(1, n + 1):
        schools.append(
            {
                "school_id": s,
                "municipality_id": s % 5,
                "region_id": 1,
                "is_urban": s % 3 != 0,
                "school_type": "sosh",
            }
        )
        effect = rnd.gauss(0, 1.5)
        for year in (2022, 2023, 2024):
            context.append({"school_id": s, "year": year, "students_total": 200 + s})
            inflated = s in PLANTED and year >= 2023
            for subject, grade in (("math", 4), ("rus", 4), ("math", 5), ("rus", 5)):
                for _ in range(25):
                    honest = max(0, min(20, round(11 + effect + rnd.gauss(0, 3.5))))
                    score = honest
                    if inflated:
                        score = min(20, honest + 3)
                        score = 6 if 2 <= score < 6 else score
                    journal = max(2, min(5, _mark(honest) + rnd.choice([-1, 0, 0, 0, 1])))
                    students.append(
                        {
                            "school_id": s,
                            "year": year,
                            "procedure": "vpr",
                            "subject": subject,
                            "grade": grade,
                            "period": "main",
                            "mark": _mark(score),
                            "primary_score": score,
                            "journal_term": journal,
                        }
                    )
            for subject in ("math", "rus"):
                for _ in range(15):
                    t = max(0, min(100, round(60 + effect * 5 + rnd.gauss(0, 10))))
                    mark = 2 if t < 30 else 3 if t < 50 else 4 if t < 70 else 5
                    students.append(
                        {
                            "school_id": s,
                            "year": year,
                            "procedure": "oge",
                            "subject": subject,
                            "grade": 9,
                            "period": "main",
                            "mark": mark,
                            "primary_score": t,
                        }
                    )
    return {
        "schools": pl.DataFrame(schools),
        "context": pl.DataFrame(context),
        "student_results": pl.DataFrame(students),
    }


def test_planted_inflation_precision_and_recall():
    result = run_analysis(_region(), load_preset())
    truth = {(s, y) for s in PLANTED for y in (2023, 2024)}
    flagged = {
        (s, y)
        for s, y in result.objectivity.filter("has_signs").select("school_id", "year").rows()
        if y >= 2023
    }
    hits = len(truth & flagged)
    assert hits / len(flagged) >= 0.9 and hits / len(truth) >= 0.9, (hits, len(flagged))
    # A clean year (2022) of a planted school has no signs.
    assert not result.objectivity.filter((pl.col("year") == 2022) & (pl.col("school_id") <= 10))[
        "has_signs"
    ].any()
