"""ВПР task scores of the national benchmark dataset: the works M2 reads («4 РУ», «4 МА», «5 РУ»,
«5 МА», `objectivity.procedures` of `default`).

A work's maximum primary score is split over `TASKS[work]` tasks (the later, harder tasks worth a
point more where it does not divide evenly). A participant's points on task j are
Binomial(m_j, sigmoid(1,3·(θ − b_j))), difficulties b_j evenly from −1,8 to 1,2. In an
inflating school (not under observers) the curve is flattened and lifted, sigmoid(1,3·(θ + 0,8 −
0,4·b_j)): hard tasks come out relatively better than easy ones, the easy/hard inversion of M2.
The points are drawn from the participant's θ, not split from the row's primary score, so their
sum is close to it but not tied to it. A random source of its own (`rng`), so the student rows
are the same with or without task scores.
"""

from __future__ import annotations

import numpy as np
import polars as pl

TASK_SEED = 4242  # the task scores' own random source, seeded with it and the year
TASKS = {("rus", 4): 12, ("rus", 5): 12, ("math", 4): 12, ("math", 5): 10}


def maxima(top: int, k: int) -> np.ndarray:
    """`top` points over `k` tasks, the remainder on the last tasks."""
    base, extra = divmod(top, k)
    return np.array([base + (j >= k - extra) for j in range(k)], dtype=np.int64)


def task_points(
    theta: np.ndarray, distorted: np.ndarray, top: int, k: int, rng: np.random.Generator
) -> pl.Series:
    """Points per task of each participant (`List(Int8)`); `distorted`: inflated, unobserved."""
    b = np.linspace(-1.8, 1.2, k)
    honest = 1.3 * (theta[:, None] - b[None, :])
    lifted = 1.3 * (theta[:, None] + 0.8 - 0.4 * b[None, :])
    p = 1.0 / (1.0 + np.exp(-np.where(distorted[:, None], lifted, honest)))
    points = rng.binomial(maxima(top, k)[None, :], p).astype(np.int8)
    return pl.Series("task_scores", points).cast(pl.List(pl.Int8))
