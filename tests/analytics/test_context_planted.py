"""Planted resilient schools: the context-adjusted ranking follows the planted effect.

200 schools; deprivation d ~ N(0, 1) drives the social-passport shares (so ИСБШ) and the ВПР
means (12 − 2d, sd 0,3 noise); the 10 most deprived schools get a planted effect of 0,35 … 1,35
(×2 primary points). The issue asks Spearman ≥ 0,8 between the CE ranking of the planted
schools and the planted effect.
"""

import random

import polars as pl

from opora.analytics.methodology import load_preset
from opora.analytics.pipeline import run_analysis


def _region(n: int = 200, seed: int = 5):
    rnd = random.Random(seed)
    deprivation = {s: rnd.gauss(0, 1) for s in range(1, n + 1)}
    planted = sorted(deprivation, key=lambda s: -deprivation[s])[:10]
    effects = [0.35 + 0.1 * i for i in range(10)]
    rnd.shuffle(effects)
    effect = dict(zip(planted, effects, strict=True))
    schools, context, aggregates = [], [], []
    for s, d in deprivation.items():
        schools.append(
            {
                "school_id": s,
                "municipality_id": s % 4,
                "region_id": 1,
                "is_urban": True,
                "school_type": "sosh",
            }
        )
        for year in (2022, 2023, 2024):
            context.append(
                {
                    "school_id": s,
                    "year": year,
                    "students_total": 300,
                    "parents_higher_ed_share": 40 - 10 * d,
                    "single_parent_share": 20 + 5 * d,
                    "unemployed_parents_share": max(0.0, 10 + 4 * d),
                    "low_income_share": max(0.0, 15 + 5 * d),
                    "large_families_share": max(0.0, 10 + 3 * d),
                }
            )
            for subject, grade in (("math", 6), ("rus", 6)):
                mean = 12 - 2 * d + 2 * effect.get(s, 0.0) + rnd.gauss(0, 0.3)
                aggregates.append(
                    {
                        "school_id": s,
                        "year": year,
                        "procedure": "vpr",
                        "subject": subject,
                        "grade": grade,
                        "period": "main",
                        "participants": 25,
                        "count_2": 2,
                        "count_3": 23,
                        "mean_primary_score": mean,
                    }
                )
    frames = {
        "schools": pl.DataFrame(schools),
        "context": pl.DataFrame(context),
        "school_aggregates": pl.DataFrame(aggregates),
    }
    return frames, effect


def test_context_adjusted_ranking_follows_the_planted_effect():
    frames, effect = _region()
    result = run_analysis(frames, load_preset())
    ce = result.context.filter(pl.col("school_id").is_in(list(effect))).select("school_id", "ce")
    ranked = ce.with_columns(
        effect=pl.col("school_id").replace_strict(effect, return_dtype=pl.Float64)
    )
    rho = ranked.select(pl.corr("ce", "effect", method="spearman")).item()
    assert rho >= 0.8, rho
    fit = result.context_fits.filter(pl.col("year") == 2024).row(0, named=True)
    assert fit["n"] == 200 and fit["r2"] > 0.5
    # The strongest planted schools are found resilient (deprived, CE ≥ 0,5, 3 of 3 years).
    top = sorted(effect, key=lambda s: -effect[s])[:3]
    assert set(top) <= set(result.context.filter("resilient")["school_id"])
