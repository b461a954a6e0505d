"""What the demo tests look like: subjects by procedure and grade, scales and score mappings.

A student's latent ability θ (region mean 0, within-school sd 1) becomes a primary score through
a logistic curve fitted to two anchors per test: the lowest «3» is reached at θ = `FAIL_AT`
(so the share of «2» of a school is about Φ(FAIL_AT − its mean)), the lowest «5» at θ = 0.9.
ЕГЭ test scores (0–100) use the anchors «minimum score at θ_min» and «mean score at θ = 0».
"""

import math
from dataclasses import dataclass, field

# θ at which a student reaches the lowest «3» (ВПР, ОГЭ, ЕГЭ базовая) or the ЕГЭ minimum.
FAIL_AT = {"vpr": -1.5, "oge": -1.7, "ege_base": -2.0}
FIVE_AT = 0.9

# ВПР: subjects by grade. Russian and mathematics are written by every class; each class also
# writes one of the grade's other subjects, so a grade writes one or two other subjects.
VPR_OTHER = {
    4: ["env"],
    5: ["hist", "bio"],
    6: ["hist", "bio", "geo", "soc"],
    7: ["hist", "bio", "geo", "soc", "phys"],
    8: ["hist", "bio", "geo", "soc", "phys", "chem"],
}
# Demo ВПР scales (maximum primary score, lowest scores of «3», «4», «5»): close to the
# published ones in size, not official — the reference file carries no ВПР scales.
VPR_SCALES: dict[tuple[str, int], tuple[int, tuple[int, int, int]]] = {
    ("rus", 4): (38, (14, 24, 33)),
    ("rus", 5): (45, (18, 29, 39)),
    ("rus", 6): (51, (20, 33, 44)),
    ("rus", 7): (47, (19, 30, 40)),
    ("rus", 8): (51, (20, 33, 44)),
    ("math", 4): (20, (6, 10, 15)),
    ("math", 5): (20, (7, 11, 15)),
    ("math", 6): (20, (6, 10, 15)),
    ("math", 7): (19, (6, 10, 15)),
    ("math", 8): (25, (7, 12, 18)),
}
VPR_OTHER_SCALE = (24, (8, 14, 20))  # env, hist, bio, geo, soc, phys, chem
# ОГЭ: Russian and mathematics by the reference file when it has the year; electives demo.
OGE_ELECTIVES = {
    "soc": 0.30,
    "geo": 0.22,
    "inf": 0.18,
    "bio": 0.12,
    "hist": 0.04,
    "phys": 0.05,
    "chem": 0.04,
    "eng": 0.04,
    "lit": 0.01,
}
OGE_SCALES: dict[str, tuple[int, tuple[int, int, int]]] = {
    "rus": (33, (15, 23, 29)),
    "math": (31, (8, 15, 22)),
    "soc": (37, (14, 24, 32)),
    "geo": (31, (12, 19, 25)),
    "inf": (19, (5, 11, 17)),
    "bio": (48, (13, 24, 37)),
    "hist": (37, (11, 21, 30)),
    "phys": (45, (11, 23, 35)),
    "chem": (40, (10, 20, 31)),
    "eng": (68, (29, 46, 58)),
    "lit": (37, (16, 23, 30)),
}
# ЕГЭ electives and the share of graduates who choose each; 1–2 electives per graduate.
EGE_ELECTIVES = {
    "soc": 0.40,
    "phys": 0.20,
    "bio": 0.17,
    "inf": 0.17,
    "hist": 0.13,
    "chem": 0.11,
    "eng": 0.10,
    "lit": 0.05,
    "geo": 0.02,
}
# ЕГЭ: (θ at the minimum score, mean test score at θ = 0). Those who choose an elective are
# stronger than average; that is in the generator, not here.
EGE_ANCHORS = {
    "rus": (-2.2, 68.0),
    "math_profile": (-1.7, 55.0),
    "phys": (-1.6, 55.0),
    "chem": (-1.6, 56.0),
    "bio": (-1.5, 52.0),
    "inf": (-1.6, 58.0),
    "hist": (-1.6, 56.0),
    "geo": (-1.6, 57.0),
    "soc": (-1.4, 56.0),
    "lit": (-1.7, 60.0),
    "eng": (-2.2, 68.0),
}
# ЕГЭ minimum scores for years the reference file lacks (unchanged 2021–2026 for these
# subjects; the reference file wins where it has the year).
EGE_MIN_FALLBACK = {
    "rus": 24,
    "math_profile": 27,
    "phys": 36,
    "chem": 36,
    "bio": 36,
    "inf": 40,
    "hist": 32,
    "geo": 37,
    "soc": 42,
    "lit": 32,
    "eng": 22,
}
EGE_BASE_SCALE = (21, (7, 12, 17))


@dataclass
class Exam:
    """One written test: a procedure, subject, grade and year with its scale and task maxima."""

    procedure: str
    subject: str
    grade: int
    year: int
    max_score: int  # maximum primary score; 100 for ЕГЭ test scores
    cuts: tuple[int, int, int] | None  # lowest «3», «4», «5»; None for ЕГЭ test scores
    min_score: int | None = None  # ЕГЭ minimum
    slope: float = 1.0
    centre: float = 0.0
    tasks: list[int] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        return self.cuts is not None


def _logit(p: float) -> float:
    p = min(0.995, max(0.005, p))
    return math.log(p / (1 - p))


def fit_curve(
    theta_a: float, share_a: float, theta_b: float, share_b: float
) -> tuple[float, float]:
    """Slope and centre of `share = sigmoid(slope·(θ − centre))` through two anchors."""
    la, lb = _logit(share_a), _logit(share_b)
    slope = (lb - la) / (theta_b - theta_a)
    return slope, theta_a - la / slope


def task_maxima(max_score: int) -> list[int]:
    """Task maxima summing to `max_score`: 1-point tasks first, then ones worth more."""
    count = max(6, min(16, max_score // 3 + 2))
    top = max(3, -(-max_score // count) + 1)
    tasks = [1] * count
    extra, j = max_score - count, count - 1
    while extra > 0:
        if tasks[j] < top:
            tasks[j] += 1
            extra -= 1
        j = j - 1 if j > 0 else count - 1
    return tasks


def marked_test(
    procedure: str, subject: str, grade: int, year: int, scale: tuple[int, tuple[int, int, int]]
) -> Exam:
    """A test with marks: the curve puts the lowest «3» at FAIL_AT and the lowest «5» at 0.9."""
    max_score, cuts = scale
    slope, centre = fit_curve(
        FAIL_AT[procedure], (cuts[0] - 0.5) / max_score, FIVE_AT, (cuts[2] - 0.5) / max_score
    )
    tasks = task_maxima(max_score) if procedure == "vpr" else []
    return Exam(procedure, subject, grade, year, max_score, cuts, None, slope, centre, tasks)


def ege_test(subject: str, year: int, min_score: int) -> Exam:
    """An ЕГЭ test with scores 0–100 through the subject's anchors."""
    theta_min, mean = EGE_ANCHORS[subject]
    slope, centre = fit_curve(theta_min, (min_score - 0.5) / 100, 0.0, mean / 100)
    return Exam("ege", subject, 11, year, 100, None, min_score, slope, centre)
