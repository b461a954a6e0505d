"""School abilities and the planted cases: which schools, which years, which parameters.

Ability is in units of the within-school student sd (region mean ≈ 0):
`a[s] = −1.4·(deprivation − 0.4) + 0.1·urban + type effect + school effect (sd 0.2)`, floored at
`FLOOR` (+ up to 0.15) so that no ordinary school drifts into the low-result zone; every year
adds N(0, 0.06). The planted cases then override it (see docs/demo-data.md, «Results»).
"""

import random
from dataclasses import dataclass, field
from typing import Any

from opora.territory.choices import SchoolType

T = SchoolType

FLOOR = -0.6
TYPE_EFFECT = {T.GYMNASIUM: 0.5, T.LYCEUM: 0.5, T.EVENING: -0.4, T.OOSH: -0.05}
REGULAR = {T.SOSH, T.OOSH}
LOW_ABILITY = -0.7  # planted low-result schools, every subject
LOW_WEAK_EXTRA = -0.8  # and this much lower in their weak subjects
LOW_SUBJECTS = ("rus", "math")
INFLATION_BOOST = 1.8  # added to θ on every ВПР of an inflated school-year
DIP_ABILITY = -1.15  # a one-year dip (see `_plan_dips`)
DECLINE_DROPS = (0.35, 0.35)  # ability lost in the last two years by declining schools
RESILIENT_EFFECTS = (0.35, 1.35)  # range of the planted effect over the context expectation
NO_RESULTS = {T.CORRECTIONAL}  # their students sit ГВЭ, not ВПР/ОГЭ/ЕГЭ


def scaled(count: int, schools: int) -> int:
    """`count` planted schools for 400, scaled to the region's size (at least 1)."""
    return max(1, round(count * schools / 400))


@dataclass
class SchoolPlan:
    """How one school's results are drawn."""

    index: int
    school: Any
    code: str
    school_type: str
    deprivation: float
    context: float  # the ability its context predicts
    ability: float  # base ability before yearly noise and planted changes
    counts: dict[int, list[int]]  # year → students in grades 1–11
    case: str = ""  # low | inflated | resilient | declining | medals | ""
    params: dict[str, Any] = field(default_factory=dict)
    yearly: dict[int, float] = field(default_factory=dict)  # year → ability that year
    dip_year: int | None = None

    def n(self, year: int, grade: int) -> int:
        return self.counts[year][grade - 1]

    def evaluated(self, year: int) -> bool:
        """Whether some group of this school reaches 10 participants in `year`."""
        if self.school_type in NO_RESULTS:
            return False
        grades = (9, 11) if self.school_type == T.EVENING else (4, 5, 6, 7, 8, 9, 11)
        return any(self.n(year, g) >= 10 for g in grades)

    def tested(self, year: int) -> int:
        """Students tested in Russian in `year` (ВПР 4–8, ОГЭ, ЕГЭ)."""
        grades = (9, 11) if self.school_type == T.EVENING else (4, 5, 6, 7, 8, 9, 11)
        return sum(self.n(year, g) for g in grades)


def build_plans(ctx: Any, rng: random.Random) -> list[SchoolPlan]:
    """One plan per school with its context ability and yearly student counts."""
    counts: dict[str, dict[int, list[int]]] = {}
    for snapshot in ctx.snapshots:
        grades = [getattr(snapshot, f"students_g{g}") for g in range(1, 12)]
        counts.setdefault(snapshot.school.code, {})[snapshot.year] = grades
    plans = []
    for index, school in enumerate(sorted(ctx.schools, key=lambda s: s.code)):
        profile = ctx.profiles[school.code]
        context = (
            -1.4 * (profile.deprivation - 0.4)
            + 0.1 * school.is_urban
            + TYPE_EFFECT.get(school.school_type, 0.0)
        )
        ability = max(context + rng.gauss(0, 0.2), FLOOR + 0.15 * rng.random())
        plans.append(
            SchoolPlan(
                index=index,
                school=school,
                code=school.code,
                school_type=str(school.school_type),
                deprivation=profile.deprivation,
                context=context,
                ability=ability,
                counts=counts[school.code],
            )
        )
    return plans


def _min_count(plan: SchoolPlan, grades: tuple[int, ...]) -> int:
    return min(plan.n(y, g) for y in plan.counts for g in grades)


def _free(plans: list[SchoolPlan]) -> list[SchoolPlan]:
    return [p for p in plans if not p.case and p.school_type in REGULAR]


def plant_cases(plans: list[SchoolPlan], years: tuple[int, ...], rng: random.Random) -> None:
    """Choose the planted schools and set their abilities; the rest keep their context."""
    size = len(plans)
    last = years[-1]
    # (a) persistently low: mostly deprived regular schools with classes of 12+.
    pool = [p for p in _free(plans) if _min_count(p, (4, 5, 6, 7, 8, 9)) >= 12]
    pool.sort(key=lambda p: -(p.deprivation + rng.gauss(0, 0.15)))
    for plan in pool[: scaled(15, size)]:
        plan.case = "low"
        plan.ability = LOW_ABILITY + rng.gauss(0, 0.05)
        plan.params = {"weak_subjects": list(LOW_SUBJECTS), "years": list(years)}
    # (b) inflated ВПР: ordinary regular schools somewhat below the median, with 20+ in
    # grades 4–5 (bunching needs N ≥ 20) and a grade 9 (external confirmation).
    median = sorted(p.ability for p in plans)[size // 2]
    pool = [
        p
        for p in _free(plans)
        if median - 0.55 <= p.ability <= median - 0.25
        and _min_count(p, (4, 5)) >= 20
        and _min_count(p, (9,)) >= 10
    ]
    rng.shuffle(pool)
    for plan in pool[: scaled(12, size)]:
        plan.case = "inflated"
        start = rng.choice(years[:3])
        plan.params = {
            "years": [y for y in years if y >= start],
            "boost": INFLATION_BOOST,
            "true_ability": round(plan.ability, 3),
        }
    # (c) resilient: among the most deprived fifth, a planted effect over the context.
    deprived = sorted(plans, key=lambda p: -p.deprivation)[: max(2, size // 5)]
    pool = [p for p in _free(deprived) if _min_count(p, (4, 5, 6, 7, 8, 9)) >= 10]
    rng.shuffle(pool)
    chosen = pool[: scaled(10, size)]
    low, high = RESILIENT_EFFECTS
    steps = max(1, len(chosen) - 1)
    effects = [round(low + (high - low) * i / steps, 3) for i in range(len(chosen))]
    rng.shuffle(effects)
    for plan, effect in zip(chosen, effects, strict=True):
        plan.case = "resilient"
        plan.ability = plan.context + effect
        plan.params = {"effect": effect, "context": round(plan.context, 3)}
    # (d) declining two years running: solid schools losing ability in the last two years.
    pool = [p for p in _free(plans) if p.ability >= 0.15 and _min_count(p, (4, 5, 6, 7, 8)) >= 15]
    rng.shuffle(pool)
    for plan in pool[: scaled(10, size)]:
        plan.case = "declining"
        plan.params = {"years": [last - 1, last], "drops": list(DECLINE_DROPS)}
    # (e) medalists who fail to confirm: schools with 12+ graduates every year.
    pool = [
        p
        for p in plans
        if not p.case
        and p.school_type in (T.SOSH, T.GYMNASIUM, T.LYCEUM)
        and _min_count(p, (11,)) >= 12
    ]
    rng.shuffle(pool)
    for plan in pool[: scaled(8, size)]:
        plan.case = "medals"
    for plan in plans:
        _yearly(plan, years, rng)
    _plan_dips(plans, years, rng)


def _yearly(plan: SchoolPlan, years: tuple[int, ...], rng: random.Random) -> None:
    for year in years:
        ability = plan.ability + rng.gauss(0, 0.06)
        if plan.case == "declining":
            first, drops = plan.params["years"][0], plan.params["drops"]
            ability -= sum(drops[: max(0, year - first + 1)])
        plan.yearly[year] = ability


def _plan_dips(plans: list[SchoolPlan], years: tuple[int, ...], rng: random.Random) -> None:
    """Fill the bottom decile of every year with one-year dips of distinct ordinary schools.

    The relative ШНОР rule (R2, METHODOLOGY §2) flags the lowest 10 % of schools in two of
    three years. With only the planted low schools persistently at the bottom, the rest of the
    decile is taken each year by other schools that have a single bad year (never two in the
    five), so no school but the planted ones is low twice.
    """
    low = sum(1 for p in plans if p.case == "low")
    pool = [
        p
        for p in plans
        if not p.case and p.school_type in REGULAR and all(p.evaluated(y) for y in years)
    ]
    pool.sort(key=lambda p: (-min(p.tested(y) for y in years), p.code))
    big = pool[: max(len(pool) * 3 // 4, 1)]
    rng.shuffle(big)
    queue = big + [p for p in pool if p not in big]
    for year in years:
        evaluated = sum(1 for p in plans if p.evaluated(year))
        bottom = int(0.1 * evaluated + 0.5)
        wanted = max(0, bottom - low) + max(2, round(0.2 * bottom))
        for plan in queue[:wanted]:
            plan.dip_year = year
            plan.yearly[year] = DIP_ABILITY + rng.gauss(0, 0.05)
        queue = queue[wanted:]
