"""A national-scale synthetic dataset for the analytics benchmark (issue 4, «Measured»).

About 40,000 schools in 85 regions (region 1 has exactly 1,500 schools, the region benchmark),
with municipalities, yearly context (social shares, staff, equipment) and three years of student
results — ВПР grades 4–8 (Russian, mathematics and one other subject per grade), ОГЭ (Russian,
mathematics, two electives), ЕГЭ (Russian, profile or base mathematics, electives; medalists) with
journal marks — about 20 million student rows a year. Generated directly as Polars frames of the
analytics schemas (`opora.analytics.schemas`), vectorised with numpy, never through Django.

Structure, so that the rules flag a realistic share of schools: a student's ability θ = the
school's level that year (0,3·social status + region and school effects, a trend) + a subject
offset + N(0, 1); scores follow a logistic curve per test (the lowest «3» at θ = −1,5 for ВПР);
3 % of schools are planted low (−0,9), 2,5 % inflate ВПР (boosted marks piled just above the «3»
cut, journal marks honest, medals not confirmed by ЕГЭ), 2 % decline by 0,25 a year.

Cached as Parquet under `var/bench/national/` (one results file per year, rows sorted by
procedure, subject, grade and school so that row-group statistics let scans skip); `ensure()`
regenerates only when `manifest.json` differs from `SPEC`. Run `python -m bench.national_data`
to (re)generate and print the sizes.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench" / "national"
SPEC = {
    "version": 2,
    "seed": 20240,
    "regions": 85,
    "schools": 40_000,
    "region_1_schools": 1_500,
    "years": [2022, 2023, 2024],
}
YEARS: list[int] = list(SPEC["years"])  # type: ignore[call-overload]

# Tests: (max primary score, lowest «3», «4», «5»); close in size to the published scales.
VPR_SCALES = {
    ("rus", 4): (38, 14, 24, 33),
    ("rus", 5): (45, 18, 29, 39),
    ("rus", 6): (51, 20, 33, 44),
    ("rus", 7): (47, 19, 30, 40),
    ("rus", 8): (51, 20, 33, 44),
    ("math", 4): (20, 6, 10, 15),
    ("math", 5): (20, 7, 11, 15),
    ("math", 6): (20, 6, 10, 15),
    ("math", 7): (19, 6, 10, 15),
    ("math", 8): (25, 7, 12, 18),
}
VPR_OTHER_SCALE = (24, 8, 14, 20)
VPR_OTHER = {
    4: ["env"],
    5: ["hist", "bio"],
    6: ["hist", "bio", "geo", "soc"],
    7: ["hist", "bio", "geo", "soc", "phys"],
    8: ["hist", "bio", "geo", "soc", "phys", "chem"],
}
OGE_SCALES = {
    "rus": (33, 15, 23, 29),
    "math": (31, 8, 15, 22),
    "soc": (37, 14, 24, 32),
    "geo": (31, 12, 19, 25),
    "inf": (19, 5, 11, 17),
    "bio": (48, 13, 24, 37),
    "hist": (37, 11, 21, 30),
    "phys": (45, 11, 23, 35),
    "chem": (40, 10, 20, 31),
    "eng": (68, 29, 46, 58),
}
OGE_ELECTIVES = {
    "soc": 0.30,
    "geo": 0.22,
    "inf": 0.18,
    "bio": 0.12,
    "hist": 0.05,
    "phys": 0.05,
    "chem": 0.04,
    "eng": 0.04,
}
# ЕГЭ: (θ at the minimum score, mean score at θ = 0, minimum score, share choosing it).
EGE = {
    "rus": (-2.2, 68.0, 24, 1.0),
    "soc": (-1.4, 56.0, 42, 0.40),
    "phys": (-1.6, 55.0, 36, 0.20),
    "bio": (-1.5, 52.0, 36, 0.17),
    "inf": (-1.6, 58.0, 40, 0.17),
    "hist": (-1.6, 56.0, 32, 0.13),
    "chem": (-1.6, 56.0, 36, 0.11),
    "eng": (-2.2, 68.0, 22, 0.10),
}
EGE_PROFILE = (-1.7, 55.0, 27)
EGE_BASE_SCALE = (21, 7, 12, 17)
FAIL_AT = {"vpr": -1.5, "oge": -1.7, "ege_base": -2.0}
FIVE_AT = 0.9
HIGH_SCORE = 81


def _logit(p: float) -> float:
    p = min(0.995, max(0.005, p))
    return float(np.log(p / (1 - p)))


def _curve(theta_a: float, share_a: float, theta_b: float, share_b: float) -> tuple[float, float]:
    """Slope and centre of share = sigmoid(slope·(θ − centre)) through two anchors."""
    la, lb = _logit(share_a), _logit(share_b)
    slope = (lb - la) / (theta_b - theta_a)
    return slope, theta_a - la / slope


def _marked_curve(procedure: str, scale: tuple[int, int, int, int]) -> tuple[float, float]:
    top, c3, _, c5 = scale
    return _curve(FAIL_AT[procedure], (c3 - 0.5) / top, FIVE_AT, (c5 - 0.5) / top)


def _scores(theta: np.ndarray, top: int, curve: tuple[float, float], rng) -> np.ndarray:
    slope, centre = curve
    raw = top / (1.0 + np.exp(-slope * (theta - centre))) + 0.03 * top * rng.standard_normal(
        theta.size
    )
    return np.clip(np.rint(raw), 0, top).astype(np.int16)


def _marks(score: np.ndarray, scale: tuple[int, int, int, int]) -> np.ndarray:
    _, c3, c4, c5 = scale
    return (2 + (score >= c3) + (score >= c4) + (score >= c5)).astype(np.int8)


def _journal(mark: np.ndarray, rng, up: float = 0.30, down: float = 0.06) -> np.ndarray:
    """Journal marks: mostly the honest mark, one higher with probability `up`, one lower with
    `down` (ВПР term marks: a third higher; annual marks before ОГЭ: closer)."""
    u = rng.random(mark.size)
    delta = np.where(u < down, -1, np.where(u < 1 - up, 0, 1))
    out = np.clip(mark + delta, 2, 5)
    out = np.where((out == 2) & (rng.random(mark.size) < 0.8), 3, out)
    return out.astype(np.int8)


# ---------------------------------------------------------------- schools and context


def _region_sizes(rng) -> np.ndarray:
    n_regions, total, first = SPEC["regions"], SPEC["schools"], SPEC["region_1_schools"]
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
    rows = []
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


# ---------------------------------------------------------------- student results


class _Year:
    """Draws the student rows of one year, exam by exam (rows ordered by exam, then school)."""

    def __init__(self, hidden: dict[str, np.ndarray], year: int, rng) -> None:
        self.h, self.year, self.rng = hidden, year, rng
        n = hidden["ses"].size
        k = YEARS.index(year)
        self.n = n
        self.level = hidden["effect"] - 0.25 * k * hidden["declining"] + rng.normal(0, 0.08, n)
        size = hidden["students"] * (1 + 0.01 * k)
        per_grade = size / np.where(hidden["senior"], 11, 9)
        self.cohort = {
            g: np.maximum(0, np.rint(per_grade * (1 + rng.normal(0, 0.15, n)))).astype(np.int64)
            for g in range(4, 12)
        }
        self.chunks: list[pl.DataFrame] = []

    def _frame(self, school: np.ndarray, procedure: str, subject: str, grade: int, **cols):
        data = {"school_id": (school + 1).astype(np.int32), **cols}
        frame = pl.DataFrame(data)
        if "medal" in frame.columns:
            frame = frame.with_columns(medal=pl.col("medal").replace("", None))
        return frame.with_columns(
            year=pl.lit(self.year, pl.Int16),
            procedure=pl.lit(procedure),
            subject=pl.lit(subject),
            grade=pl.lit(grade, pl.Int8),
            period=pl.lit("main"),
        )

    def vpr(self) -> None:
        rng = self.rng
        for grade, others in VPR_OTHER.items():
            cohort = self.cohort[grade]
            pick = rng.integers(0, len(others), self.n)
            for subject in ["rus", "math", *others]:
                count = rng.binomial(cohort, 0.95)
                if subject in others:
                    count = np.where(pick == others.index(subject), count, 0)
                scale = VPR_SCALES.get((subject, grade), VPR_OTHER_SCALE)
                self.chunks.append(self._vpr_exam(subject, grade, count, scale))

    def _vpr_exam(self, subject, grade, count, scale) -> pl.DataFrame:
        rng = self.rng
        school = np.repeat(np.arange(self.n), count)
        offset = rng.normal(0, 0.15, self.n)
        theta = (self.level + offset)[school] + rng.standard_normal(school.size)
        curve = _marked_curve("vpr", scale)
        honest = _scores(theta, scale[0], curve, rng)
        inflated = self.h["inflated"][school]
        controlled_group = rng.random(self.n) < 0.05
        controlled = controlled_group[school] & (rng.random(school.size) < 0.5)
        boosted = _scores(theta + 0.8, scale[0], curve, rng)
        piled = (scale[1] + (rng.random(school.size) < 0.5)).astype(np.int16)
        boosted = np.where(honest < scale[1] + 2, piled, boosted)
        score = np.where(inflated & ~controlled, boosted, honest)
        return self._frame(
            school,
            "vpr",
            subject,
            grade,
            mark=_marks(score, scale),
            primary_score=score,
            journal_term=_journal(_marks(honest, scale), rng),
            controlled=controlled,
        )

    def oge(self) -> None:
        rng = self.rng
        cohort = self.cohort[9]
        weights = np.array(list(OGE_ELECTIVES.values()))
        shares = dict(zip(OGE_ELECTIVES, 2 * weights / weights.sum(), strict=True))
        for subject, scale in OGE_SCALES.items():
            count = rng.binomial(cohort, 0.97 if subject in ("rus", "math") else shares[subject])
            school = np.repeat(np.arange(self.n), count)
            theta = (self.level + rng.normal(0, 0.12, self.n))[school]
            theta = theta + rng.standard_normal(school.size)
            score = _scores(theta, scale[0], _marked_curve("oge", scale), rng)
            mark = _marks(score, scale)
            annual = _journal(mark, rng, up=0.12, down=0.10)
            annual = np.where(
                self.h["inflated"][school] & (rng.random(school.size) < 0.5),
                np.minimum(5, annual + 1),
                annual,
            ).astype(np.int8)
            self.chunks.append(
                self._frame(
                    school, "oge", subject, 9, mark=mark, primary_score=score, journal_year=annual
                )
            )

    def ege(self, person_offset: int) -> int:
        """ЕГЭ and ЕГЭ базовая rows; returns the next free person number."""
        rng = self.rng
        cohort = np.where(self.h["senior"], np.rint(self.cohort[11] * 0.55), 0).astype(np.int64)
        school = np.repeat(np.arange(self.n), cohort)
        m = school.size
        person = np.arange(person_offset, person_offset + m)
        theta = self.level[school] + rng.standard_normal(m)
        inflated = self.h["inflated"][school]
        annual = theta + 0.4 * rng.standard_normal(m) + 0.6 * inflated
        annual_mark = np.where(annual < -0.5, 3, np.where(annual < 1.0, 4, 5)).astype(np.int8)
        medal_draw = theta + 0.3 * rng.standard_normal(m)
        medal = np.where(
            medal_draw > 1.75,
            "gold",
            np.where(medal_draw > 1.55, "silver", ""),
        )
        medal = np.where(inflated & (annual > 0.9) & (medal == ""), "gold", medal)
        profile = theta + 0.5 * rng.standard_normal(m) > -0.1
        subjects = {"rus": np.ones(m, bool), "math_profile": profile}
        for subject, (_, _, _, share) in EGE.items():
            if subject != "rus":
                subjects[subject] = rng.random(m) < np.clip(share * (1 + 0.5 * theta), 0, 1)
        for subject, takers in subjects.items():
            anchor = EGE_PROFILE if subject == "math_profile" else EGE[subject][:3]
            theta_min, mean, minimum = anchor
            curve = _curve(theta_min, (minimum - 0.5) / 100, 0.0, mean / 100)
            t = theta[takers] + 0.45 * rng.standard_normal(int(takers.sum()))
            self.chunks.append(
                self._frame(
                    school[takers],
                    "ege",
                    subject,
                    11,
                    test_score=_scores(t, 100, curve, rng),
                    journal_year=annual_mark[takers],
                    student_key=person[takers].astype(str),
                    medal=medal[takers],
                )
            )
        base = ~profile
        t = theta[base] + 0.45 * rng.standard_normal(int(base.sum()))
        score = _scores(t, EGE_BASE_SCALE[0], _marked_curve("ege_base", EGE_BASE_SCALE), rng)
        self.chunks.append(
            self._frame(
                school[base],
                "ege_base",
                "math_base",
                11,
                mark=_marks(score, EGE_BASE_SCALE),
                primary_score=score,
                journal_year=annual_mark[base],
                student_key=person[base].astype(str),
            )
        )
        return person_offset + m


RESULT_SCHEMA = {
    "school_id": pl.Int32,
    "year": pl.Int16,
    "procedure": pl.String,
    "subject": pl.String,
    "grade": pl.Int8,
    "period": pl.String,
    "student_key": pl.String,
    "mark": pl.Int8,
    "primary_score": pl.Int16,
    "test_score": pl.Int16,
    "journal_term": pl.Int8,
    "journal_year": pl.Int8,
    "medal": pl.String,
    "controlled": pl.Boolean,
}


def results_frame(hidden: dict[str, np.ndarray], year: int, rng, person_offset: int):
    """Every student row of `year` (schema `RESULT_SCHEMA`) and the next free person number."""
    draw = _Year(hidden, year, rng)
    draw.vpr()
    draw.oge()
    nxt = draw.ege(person_offset)
    chunks = [
        c.select(
            [
                pl.col(name).cast(dtype) if name in c.columns else pl.lit(None, dtype).alias(name)
                for name, dtype in RESULT_SCHEMA.items()
            ]
        )
        for c in draw.chunks
    ]
    return pl.concat(chunks, rechunk=False), nxt


# ---------------------------------------------------------------- cache


def results_paths(root: Path = CACHE) -> list[Path]:
    return [root / f"results_{year}.parquet" for year in YEARS]


def ensure(root: Path = CACHE, log=print) -> Path:
    """Generate the dataset under `root` unless a complete one of the same `SPEC` is there."""
    manifest = root / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()).get("spec") == SPEC:
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.perf_counter()
    rng = np.random.default_rng(int(SPEC["seed"]))  # type: ignore[call-overload]
    schools, hidden = schools_frame(rng)
    schools.write_parquet(root / "schools.parquet")
    context_frame(hidden, rng).write_parquet(root / "context.parquet")
    reference_frame().write_parquet(root / "reference.parquet")
    rows, person = {}, 1
    for year, path in zip(YEARS, results_paths(root), strict=True):
        frame, person = results_frame(hidden, year, rng, person)
        frame.write_parquet(path, row_group_size=512 * 1024, statistics=True)
        rows[year] = frame.height
        log(f"# national data: {year}: {frame.height:,} student rows")
        del frame
    truth = pl.DataFrame(
        {
            "school_id": np.arange(1, hidden["ses"].size + 1),
            "low": hidden["low"],
            "inflated": hidden["inflated"],
            "declining": hidden["declining"],
        }
    )
    truth.write_parquet(root / "truth.parquet")
    manifest.write_text(
        json.dumps(
            {
                "spec": SPEC,
                "schools": schools.height,
                "rows": rows,
                "seconds": round(time.perf_counter() - started, 1),
            },
            indent=1,
        )
    )
    log(f"# national data generated in {time.perf_counter() - started:.1f} s under {root}")
    return root


def load(root: Path = CACHE, lazy_results: bool = True) -> dict[str, pl.DataFrame | pl.LazyFrame]:
    """The frames of `run_analysis`: schools, context, reference in memory; results as a lazy
    scan of the per-year files (or read into memory with `lazy_results=False`)."""
    results: pl.DataFrame | pl.LazyFrame = pl.scan_parquet(results_paths(root))
    if not lazy_results:
        results = results.collect()
    return {
        "schools": pl.read_parquet(root / "schools.parquet"),
        "context": pl.read_parquet(root / "context.parquet"),
        "reference": pl.read_parquet(root / "reference.parquet"),
        "student_results": results,
    }


if __name__ == "__main__":
    if "--force" in sys.argv and CACHE.exists():
        shutil.rmtree(CACHE)
    ensure()
    print((CACHE / "manifest.json").read_text())
