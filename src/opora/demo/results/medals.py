"""Medalists of grade 11 and the planted medalists who do not confirm their medal on the ЕГЭ.

Ordinary schools award gold to the strongest 5 % of graduates among those with ЕГЭ Russian and
some other ЕГЭ subject ≥ 70, silver to the next 2 % among those with both ≥ 60, so all of their
medals are confirmed (METHODOLOGY §5.4). A school with planted unconfirmed medals awards gold to
max(2, 6 %) of graduates: the stronger half confirms, the other half (the strongest of those who
fail the check) scores below 70 in Russian or in every other subject.
"""

from typing import Any

import polars as pl

from opora.demo.results.plan import SchoolPlan

GOLD, SILVER = 0.05, 0.02


def _ranked(rows: list[dict[str, Any]], ok: str) -> list[dict[str, Any]]:
    return sorted((r for r in rows if r[ok]), key=lambda r: (-r["person_effect"], r["person"]))


def medalists(ege: pl.DataFrame, plans: list[SchoolPlan]) -> tuple[pl.DataFrame, list[dict]]:
    """Medalists (school_index, year, person, medal) and the truth of the planted schools.

    `ege`: ЕГЭ rows with school_index, year, person, person_effect, student_key, procedure,
    subject, score.
    """
    people = (
        ege.group_by("school_index", "year", "person", "student_key", "person_effect")
        .agg(
            rus=c_score("rus"),
            best=pl.col("score")
            .filter((pl.col("procedure") == "ege") & (pl.col("subject") != "rus"))
            .max(),
        )
        .with_columns(pl.col("rus", "best").fill_null(0))
        .with_columns(
            gold_ok=(pl.col("rus") >= 70) & (pl.col("best") >= 70),
            silver_ok=(pl.col("rus") >= 60) & (pl.col("best") >= 60),
        )
        .sort("school_index", "year", "person")
    )
    by_school: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in people.iter_rows(named=True):
        by_school.setdefault((row["school_index"], row["year"]), []).append(row)
    planted = {p.index: p for p in plans if p.case == "medals"}
    medals: list[tuple[int, int, int, str]] = []
    truth: dict[int, list[dict[str, Any]]] = {}
    for (school, year), rows in sorted(by_school.items()):
        n = len(rows)
        if school in planted:
            count = max(2, round(0.06 * n))
            confirmed = _ranked(rows, "gold_ok")[: (count + 1) // 2]
            failing = [r for r in rows if not r["gold_ok"]]
            failing.sort(key=lambda r: (-r["person_effect"], r["person"]))
            unconfirmed = failing[: count - len(confirmed)]
            gold = confirmed + unconfirmed
            truth.setdefault(school, []).append(
                {
                    "year": year,
                    "gold": len(gold),
                    "unconfirmed": len(unconfirmed),
                    "students": [
                        {"key": r["student_key"], "rus": r["rus"], "best_other": r["best"]}
                        for r in unconfirmed
                    ],
                }
            )
        else:
            gold = _ranked(rows, "gold_ok")[: round(GOLD * n)]
        taken = {r["person"] for r in gold}
        silver = [r for r in _ranked(rows, "silver_ok") if r["person"] not in taken]
        medals += [(school, year, r["person"], "gold") for r in gold]
        medals += [(school, year, r["person"], "silver") for r in silver[: round(SILVER * n)]]
    frame = pl.DataFrame(
        medals,
        schema={"school_index": pl.Int64, "year": pl.Int64, "person": pl.Int64, "medal": pl.String},
        orient="row",
    )
    return frame, [
        {"school": next(p.code for p in plans if p.index == i), "years": years}
        for i, years in sorted(truth.items())
    ]


def c_score(subject: str) -> pl.Expr:
    """The ЕГЭ test score of `subject` in a group of one student's rows."""
    return (
        pl.col("score")
        .filter((pl.col("procedure") == "ege") & (pl.col("subject") == subject))
        .max()
    )
