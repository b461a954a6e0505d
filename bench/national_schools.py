"""Schools, municipalities, yearly context and the reference frame of the national benchmark
dataset (`bench.national_data`), drawn with numpy: social status per school (region level,
urban, noise) drives the context shares and the school's result level; planted cases (low,
inflated, declining) are hidden parameters the results use."""

from __future__ import annotations

import numpy as np
import polars as pl

from bench.national_exams import (
    EGE,
    EGE_PROFILE,
    HIGH_SCORE,
    VPR_OTHER,
    VPR_OTHER_SCALE,
    VPR_SCALES,
)

SPEC = {
    "version": 3,
    "seed": 20240,
    "regions": 85,
    "schools": 40_000,
    "region_1_schools": 1_500,
    "years": [2022, 2023, 2024],
}
YEARS: list[int] = list(SPEC["years"])  # type: ignore[call-overload]


def _region_sizes(rng) -> np.ndarray:
    n_regions, total, first = (
        int(SPEC["regions"]),  # type: ignore[call-overload]
        int(SPEC["schools"]),  # type: ignore[call-overload]
        int(SPEC["region_1_schools"]),  # type: ignore[call-overload]
    )
    raw = rng.lognormal(0.0, 0.75, n_regions - 1)
    rest = np.maximum(60, np.rint(raw / raw.sum() * (total - first))).astype(np.int64)
    rest[np.argmax(rest)] += total - first - rest.sum()
    return np.concatenate([[first], rest])


def schools_frame(rng) -> tuple[pl.DataFrame, dict[str, np.ndarray]]:
    """The schools frame and the hidden school parameters (social status, effects, planted)."""
    sizes = _region_sizes(rng)
    n = int(sizes.sum())
    region = np.repeat(np.arange(1, sizes.size + 1), sizes)
    per_region = np.maximum(4, sizes // 16)
    offsets = np.concatenate([[0], np.cumsum(per_region)[:-1]])
    centre = rng.random(n) < 0.25
    local = np.where(centre, 0, (rng.random(n) * (per_region[region - 1] - 1)).astype(int) + 1)
    municipality = offsets[region - 1] + local + 1
    urban = np.where(centre, rng.random(n) < 0.92, rng.random(n) < 0.30)
    u = rng.random(n)
    school_type = np.where(
        urban,
        np.where(u < 0.07, "gymnasium", np.where(u < 0.13, "lyceum", "sosh")),
        np.where(u < 0.22, "oosh", "sosh"),
    )
    students = np.where(
        urban, rng.lognormal(np.log(430), 0.45, n), rng.lognormal(np.log(85), 0.7, n)
    )
    students = np.clip(np.rint(students), 15, 2600).astype(np.int64)
    region_ses = rng.normal(0, 0.45, sizes.size)[region - 1]
    ses = region_ses + 0.6 * urban + rng.normal(0, 0.8, n) - 0.3
    planted = rng.random(n)
    low = planted < 0.03
    inflated = (planted >= 0.03) & (planted < 0.055)
    declining = (planted >= 0.055) & (planted < 0.075)
    effect = (
        0.3 * ses
        + rng.normal(0, 0.12, sizes.size)[region - 1]
        + rng.normal(0, 0.3, n)
        - 0.9 * low
        + 0.15 * (school_type != "sosh") * urban
    )
    frame = pl.DataFrame(
        {
            "school_id": np.arange(1, n + 1, dtype=np.int64),
            "municipality_id": municipality.astype(np.int64),
            "region_id": region.astype(np.int64),
            "is_urban": urban,
            "school_type": school_type,
            "short_name": [f"Школа {i}" for i in range(1, n + 1)],
            "settlement_population": np.where(
                urban, rng.integers(20_000, 1_500_000, n), rng.integers(200, 12_000, n)
            ).astype(np.int64),
            "distance_km": np.where(urban, rng.uniform(0, 15, n), rng.uniform(5, 120, n)),
        }
    )
    hidden = {
        "students": students,
        "ses": ses,
        "effect": effect,
        "inflated": inflated,
        "declining": declining,
        "low": low,
        "senior": school_type != "oosh",
    }
    return frame, hidden


def context_frame(hidden: dict[str, np.ndarray], rng) -> pl.DataFrame:
    """One row per school × year: the SchoolSnapshot fields (shares in percent)."""
    parts = []
    n = hidden["ses"].size
    ses = hidden["ses"]
    base_teachers = np.maximum(6, np.rint(hidden["students"] / 12 + 4)).astype(np.int64)
    for k, year in enumerate(YEARS):
        drift = 1 + rng.normal(0, 0.03, n)
        students = np.maximum(10, np.rint(hidden["students"] * drift * (1 + 0.01 * k)))
        teachers = np.maximum(5, np.rint(base_teachers * (1 + rng.normal(0, 0.03, n))))

        def share(centre: float, slope: float, sd: float) -> np.ndarray:
            return np.round(np.clip(centre + slope * ses + rng.normal(0, sd, n), 0, 100), 1)

        def count(p: np.ndarray, staff: np.ndarray = teachers) -> np.ndarray:
            return rng.binomial(staff.astype(np.int64), np.clip(p, 0, 1)).astype(np.int64)

        computers = np.maximum(1, np.rint(students / rng.uniform(3, 16, n))).astype(np.int64)
        classrooms = np.maximum(4, np.rint(students / 22)).astype(np.int64)
        frame = {
            "school_id": np.arange(1, n + 1, dtype=np.int64),
            "year": np.full(n, year, dtype=np.int64),
            "students_total": students.astype(np.int64),
            "teachers_total": teachers.astype(np.int64),
            "teachers_highest_category": count(0.30 + 0.05 * ses),
            "teachers_first_category": count(0.28 + 0.03 * ses),
            "teachers_over_55": count(0.30 - 0.06 * ses + rng.normal(0, 0.08, n)),
            "teachers_under_35": count(0.18 + 0.04 * ses),
            "vacancies_over_year": rng.poisson(np.clip(0.4 - 0.3 * ses, 0.05, 3)).astype(np.int64),
            "teachers_without_subject_training": count(0.08 - 0.04 * ses),
            "psychologist_contracted": (rng.random(n) < 0.1).astype(np.int64),
            "classrooms_total": classrooms,
            "classrooms_with_projector": rng.binomial(classrooms, 0.6).astype(np.int64),
            "classrooms_with_board": rng.binomial(classrooms, 0.3).astype(np.int64),
            "computers_total": computers,
            "computers_outdated": rng.binomial(computers, np.clip(0.4 - 0.1 * ses, 0.05, 0.95)),
            "ovz_share": share(5.0, -1.0, 3.0),
            "rkn_share": np.round(np.clip(rng.gamma(0.8, 4.0, n), 0, 100), 1),
            "low_income_share": share(15.0, -6.0, 5.0),
            "large_families_share": share(18.0, -3.0, 6.0),
            "single_parent_share": share(22.0, -4.0, 6.0),
            "unemployed_parents_share": share(9.0, -5.0, 4.0),
            "parents_higher_ed_share": share(38.0, 14.0, 8.0),
            "registered_share": share(2.0, -1.0, 1.5),
            "avg_teacher_load": np.round(rng.normal(23.0 - ses, 3.0, n), 1),
            "psychologist_rates": np.round(rng.choice([0.0, 0.5, 1.0], n, p=[0.3, 0.3, 0.4]), 1),
            "speech_therapist_rates": np.round(rng.choice([0.0, 0.5, 1.0], n), 1),
            "internet_speed_mbps": np.round(
                np.where(hidden["ses"] > 0, rng.uniform(40, 200, n), rng.uniform(5, 120, n)), 0
            ),
            "climate_index": np.round(np.clip(rng.normal(60 + 5 * ses, 12, n), 0, 100), 1),
            "motivation_index": np.round(np.clip(rng.normal(55 + 6 * ses, 12, n), 0, 100), 1),
            "parent_involvement_index": np.round(
                np.clip(rng.normal(50 + 7 * ses, 14, n), 0, 100), 1
            ),
            "teachers_marked_deficits_share": share(20.0, -5.0, 8.0),
            "teachers_iom_pk_share": share(40.0, 5.0, 15.0),
        }
        parts.append(pl.DataFrame(frame))
    return pl.concat(parts)


def reference_frame() -> pl.DataFrame:
    """Year × procedure × subject: ЕГЭ minimum and high scores, ВПР maximum primary scores."""
    rows: list[tuple[str, str, int | None, int | None, int | None, int]] = []
    for year in YEARS:
        for (subject, grade), scale in VPR_SCALES.items():
            if grade == 4:  # one maximum per subject and year in the reference
                rows.append(("vpr", subject, None, None, scale[0], year))
        for subject in sorted({s for others in VPR_OTHER.values() for s in others}):
            rows.append(("vpr", subject, None, None, VPR_OTHER_SCALE[0], year))
        for subject, (_, _, minimum, _) in EGE.items():
            rows.append(("ege", subject, minimum, HIGH_SCORE, None, year))
        rows.append(("ege", "math_profile", EGE_PROFILE[2], HIGH_SCORE, None, year))
    return pl.DataFrame(
        rows,
        schema={
            "procedure": pl.String,
            "subject": pl.String,
            "min_score": pl.Int64,
            "high_score": pl.Int64,
            "max_primary_score": pl.Int64,
            "year": pl.Int64,
        },
        orient="row",
    ).select("year", "procedure", "subject", "min_score", "high_score", "max_primary_score")
