"""ВПР task scores: for each total, a few ways to split it over the tasks.

Tasks are ordered from easy to hard. An ordinary student's points go to a task with weight
easiness × free points (easiness falls from 1.0 on the first task to 0.4 on the last), so
everyone does better on easy tasks. In an inflated school-year the weights are reversed
(0.55 → 0.85): hard tasks come out relatively better than easy ones — the easy/hard inversion
of METHODOLOGY §5.2 M2.
"""

import random

import polars as pl

from opora.demo.results.spec import Exam

VARIANTS = 4


def _split(total: int, maxima: list[int], weights: list[float], rng: random.Random) -> list[int]:
    scores = [0] * len(maxima)
    for _ in range(total):
        free = [w * (m - s) for w, m, s in zip(weights, maxima, scores, strict=True)]
        j = rng.choices(range(len(maxima)), weights=free)[0]
        scores[j] += 1
    return scores


def task_patterns(exams: list[Exam], rng: random.Random) -> pl.DataFrame:
    """Rows (subject, grade, year, score, inflated, variant, task_scores as JSON text)."""
    cache: dict[tuple[int, ...], list[tuple[int, bool, int, str]]] = {}
    rows: list[tuple[str, int, int, int, bool, int, str]] = []
    for test in exams:
        if not test.tasks:
            continue
        maxima = tuple(test.tasks)
        if maxima not in cache:
            n = len(maxima)
            easy = [1.0 - 0.6 * j / max(1, n - 1) for j in range(n)]
            hard = [0.55 + 0.3 * j / max(1, n - 1) for j in range(n)]
            cache[maxima] = [
                (total, inflated, variant, "[" + ",".join(map(str, split)) + "]")
                for total in range(sum(maxima) + 1)
                for inflated, weights in ((False, easy), (True, hard))
                for variant in range(VARIANTS)
                for split in [_split(total, list(maxima), weights, rng)]
            ]
        rows.extend(
            (test.subject, test.grade, test.year, total, inflated, variant, text)
            for total, inflated, variant, text in cache[maxima]
        )
    return pl.DataFrame(
        rows,
        schema={
            "subject": pl.String,
            "grade": pl.Int64,
            "year": pl.Int64,
            "score": pl.Int64,
            "inflated": pl.Boolean,
            "variant": pl.Int64,
            "task_scores": pl.String,
        },
        orient="row",
    )
