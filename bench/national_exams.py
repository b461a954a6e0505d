"""The tests of the national benchmark dataset and its student rows (`bench.national_data`).

A student's ability θ = the school's level that year (0,3·social status + region and school
effects, a trend for declining schools) + a subject offset + N(0, 1); scores follow a logistic
curve per test through two anchors (the lowest «3» at θ = −1,5 for ВПР, the lowest «5» at 0,9;
ЕГЭ: the minimum score and the mean at θ = 0), plus 3 % measurement noise. Inflated schools
boost ВПР (scores piled just above the «3» cut, journal marks honest, annual marks higher, gold
medals without the ЕГЭ to match). Scales are close in size to the published ones, not official.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from bench.national_tasks import TASK_SEED, TASKS, task_points

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


class _Year:
    """Draws the student rows of one year, exam by exam (rows ordered by exam, then school)."""

    def __init__(self, hidden: dict[str, np.ndarray], year: int, k: int, rng) -> None:
        """`k`: the year's index from the first year (declining schools lose 0,25 a year)."""
        self.h, self.year, self.rng = hidden, year, rng
        n = hidden["ses"].size
        self.n = n
        self.level = hidden["effect"] - 0.25 * k * hidden["declining"] + rng.normal(0, 0.08, n)
        size = hidden["students"] * (1 + 0.01 * k)
        per_grade = size / np.where(hidden["senior"], 11, 9)
        self.cohort = {
            g: np.maximum(0, np.rint(per_grade * (1 + rng.normal(0, 0.15, n)))).astype(np.int64)
            for g in range(4, 12)
        }
        self.chunks: list[pl.DataFrame] = []
        self.tasks: list[pl.DataFrame] = []  # ВПР task scores (`national_tasks`)
        self.task_rng = np.random.default_rng((TASK_SEED, year))  # not drawn from `rng`

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
        if (subject, grade) in TASKS:
            points = task_points(
                theta, inflated & ~controlled, scale[0], TASKS[subject, grade], self.task_rng
            )
            self.tasks.append(self._frame(school, "vpr", subject, grade, task_scores=points))
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


def results_frame(hidden: dict[str, np.ndarray], year: int, k: int, rng, person_offset: int):
    """Every student row of `year` (the `k`-th year; schema `RESULT_SCHEMA`), the ВПР task
    scores of the M2 works (`national_tasks`) and the next free person number."""
    draw = _Year(hidden, year, k, rng)
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
    tasks = pl.concat(
        [
            t.select("school_id", "year", "procedure", "subject", "grade", "task_scores")
            for t in draw.tasks
        ]
    )
    return pl.concat(chunks, rechunk=False), tasks, nxt
