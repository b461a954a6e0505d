"""Student rows of every procedure, drawn in Polars from the school plans.

A student's θ on a test = the group mean (school ability that year + subject offset + planted
changes) + 0.8·person effect (the same student across subjects and years) + 0.6·noise.
Scores follow the test's logistic curve plus measurement noise (3 % of the maximum).
"""

import random
from collections.abc import Iterable
from typing import Any

import polars as pl

from opora.demo.results.draw import normal, uniform
from opora.demo.results.plan import LOW_SUBJECTS, NO_RESULTS, SchoolPlan
from opora.demo.results.spec import EGE_ELECTIVES, OGE_ELECTIVES, VPR_OTHER, Exam
from opora.territory.choices import SchoolType

T = SchoolType
PROCEDURES = ("vpr", "oge", "ege", "ege_base")
SUBJECTS = [
    "rus",
    "math",
    "math_base",
    "math_profile",
    "env",
    "hist",
    "bio",
    "geo",
    "soc",
    "phys",
    "chem",
    "inf",
    "eng",
    "lit",
]
LETTERS = "АБВГДЕЖЗИКЛМН"
CLASS_SIZE = 25
GROUP = ["school_index", "year", "procedure", "subject", "grade"]
SUBJECT_OFFSET_SD = 0.1
ELECTIVE_BONUS = 0.3  # those who choose an ЕГЭ elective are stronger than average
CAP_FAIL = 0.25  # ordinary schools: at most this share below «3» / the minimum (N ≥ 10)
LOW_MIN_FAIL = 0.38  # planted low schools: at least this share of «2» in weak subjects


class Salts:
    """Integer salts of each purpose, drawn once from the step's random source."""

    def __init__(self, rng: random.Random):
        draw = rng.getrandbits
        self.person, self.theta, self.meas, self.pile = draw(64), draw(64), draw(64), draw(64)
        self.lift, self.lower, self.j1, self.j2 = draw(64), draw(64), draw(64), draw(64)
        self.j3, self.choose, self.count, self.math = draw(64), draw(64), draw(64), draw(64)
        self.annual = draw(64)
        # Derived, not drawn: a new draw would shift every later draw of the step's source.
        self.lenient = self.j1 ^ 0x4C454E49454E54


def _grades(plan: SchoolPlan) -> Iterable[int]:
    if plan.school_type in NO_RESULTS:
        return ()
    if plan.school_type == T.EVENING:
        return (9, 11)
    return (4, 5, 6, 7, 8, 9, 11)


def students(plans: list[SchoolPlan], years: tuple[int, ...], salts: Salts) -> pl.DataFrame:
    """One row per student of a tested grade: person key and effect, class number."""
    rows = [
        (p.index, year, grade, p.n(year, grade))
        for p in plans
        for year in years
        for grade in _grades(p)
        if p.n(year, grade) > 0
    ]
    frame = pl.DataFrame(
        rows,
        schema={"school_index": pl.Int64, "year": pl.Int64, "grade": pl.Int64, "n": pl.Int64},
        orient="row",
    )
    entry = pl.col("year") - pl.col("grade") + 1 - 2000
    classes = (pl.col("n") + CLASS_SIZE - 1) // CLASS_SIZE
    return (
        frame.with_columns(idx=pl.int_ranges(0, "n"))
        .explode("idx")
        .with_columns(person=(pl.col("school_index") * 64 + entry) * 4096 + pl.col("idx"))
        .with_columns(
            person_effect=normal(pl.col("person"), salts.person),
            class_no=pl.col("idx") * classes // pl.col("n"),
        )
    )


def _weighted_pick(
    frame: pl.DataFrame, weights: dict[str, float], count: pl.Expr, salt: int
) -> pl.DataFrame:
    """Each student picks `count` subjects without repetition, with probabilities ∝ weights
    (Efraimidis & Spirakis, 2006: the largest u^(1/w) keys)."""
    options = pl.DataFrame({"subject": list(weights), "weight": list(weights.values())})
    subject_no = pl.col("subject").replace_strict(
        {s: i for i, s in enumerate(SUBJECTS)}, return_dtype=pl.Int64
    )
    return (
        frame.join(options, how="cross")
        .with_columns(
            key=uniform(pl.col("person") * 64 + subject_no, salt) ** (1 / pl.col("weight"))
        )
        .with_columns(pick=pl.col("key").rank("ordinal", descending=True).over("person"))
        .filter(pl.col("pick") <= count)
        .drop("weight", "key", "pick")
    )


def takes(base: pl.DataFrame, salts: Salts) -> pl.DataFrame:
    """Which student writes which procedure and subject."""
    vpr = base.filter(pl.col("grade").is_between(4, 8))
    others = pl.col("grade").replace_strict(VPR_OTHER, return_dtype=pl.List(pl.String))
    other = vpr.with_columns(
        subject=others.list.get(
            (pl.col("class_no") + pl.col("year") + pl.col("school_index")) % others.list.len()
        )
    )
    nine = base.filter(pl.col("grade") == 9)
    eleven = base.filter(pl.col("grade") == 11)
    profile = pl.col("person_effect") + 0.8 * normal(pl.col("person"), salts.math) > -0.15
    parts = [
        vpr.with_columns(procedure=pl.lit("vpr"), subject=pl.lit("rus")),
        vpr.with_columns(procedure=pl.lit("vpr"), subject=pl.lit("math")),
        other.with_columns(procedure=pl.lit("vpr")),
        nine.with_columns(procedure=pl.lit("oge"), subject=pl.lit("rus")),
        nine.with_columns(procedure=pl.lit("oge"), subject=pl.lit("math")),
        _weighted_pick(nine, OGE_ELECTIVES, pl.lit(2), salts.choose).with_columns(
            procedure=pl.lit("oge")
        ),
        eleven.with_columns(procedure=pl.lit("ege"), subject=pl.lit("rus")),
        eleven.with_columns(
            procedure=pl.when(profile).then(pl.lit("ege")).otherwise(pl.lit("ege_base")),
            subject=pl.when(profile).then(pl.lit("math_profile")).otherwise(pl.lit("math_base")),
        ),
        _weighted_pick(
            eleven,
            EGE_ELECTIVES,
            1 + (uniform(pl.col("person"), salts.count) < 0.5).cast(pl.Int64),
            salts.choose ^ 1,
        ).with_columns(procedure=pl.lit("ege")),
    ]
    columns = [*base.columns, "procedure", "subject"]
    return pl.concat([part.select(columns) for part in parts])


def group_params(
    plans: list[SchoolPlan], years: tuple[int, ...], rng: random.Random
) -> pl.DataFrame:
    """Mean θ and planted switches of every school × year × procedure × subject."""
    rows: list[tuple[Any, ...]] = []
    for plan in plans:
        offsets = {s: rng.gauss(0, SUBJECT_OFFSET_SD) for s in SUBJECTS}
        inflated_years = set(plan.params.get("years", ())) if plan.case == "inflated" else set()
        for year in years:
            for procedure in PROCEDURES:
                for subject in SUBJECTS:
                    mu = plan.yearly[year] + offsets[subject]
                    weak = plan.case == "low" and subject in LOW_SUBJECTS
                    if weak:
                        mu += -0.8
                    if procedure == "ege" and subject not in ("rus", "math_profile"):
                        mu += ELECTIVE_BONUS
                    rows.append(
                        (
                            plan.index,
                            year,
                            procedure,
                            subject,
                            mu,
                            procedure == "vpr" and year in inflated_years,
                            plan.case != "low",
                            weak and procedure in ("vpr", "oge"),
                        )
                    )
    return pl.DataFrame(
        rows,
        schema={
            "school_index": pl.Int64,
            "year": pl.Int64,
            "procedure": pl.String,
            "subject": pl.String,
            "mu": pl.Float64,
            "inflated": pl.Boolean,
            "capped": pl.Boolean,
            "min_fail": pl.Boolean,
        },
        orient="row",
    )


def exam_frame(exams: list[Exam]) -> pl.DataFrame:
    """Scales and curves of every test."""
    return pl.DataFrame(
        [
            {
                "procedure": t.procedure,
                "subject": t.subject,
                "grade": t.grade,
                "year": t.year,
                "max_score": t.max_score,
                "c3": t.cuts[0] if t.cuts else None,
                "c4": t.cuts[1] if t.cuts else None,
                "c5": t.cuts[2] if t.cuts else None,
                "min_score": t.min_score,
                "slope": t.slope,
                "centre": t.centre,
            }
            for t in exams
        ],
        schema={
            "procedure": pl.String,
            "subject": pl.String,
            "grade": pl.Int64,
            "year": pl.Int64,
            "max_score": pl.Int64,
            "c3": pl.Int64,
            "c4": pl.Int64,
            "c5": pl.Int64,
            "min_score": pl.Int64,
            "slope": pl.Float64,
            "centre": pl.Float64,
        },
    )
