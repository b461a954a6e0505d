"""The step that draws five yearly snapshots per school around its latent profile."""

import math
import random
from decimal import Decimal

from opora.demo.context import DemoContext, demo_step
from opora.demo.schools import SchoolProfile
from opora.demo.territory import CENTRE, CITY, TOWN, VILLAGE
from opora.territory.choices import SchoolType
from opora.territory.models import GRADES, School, SchoolSnapshot

T = SchoolType

# Share of grade-9 students who go on to grade 10 in the same school.
STAY_FOR_GRADE_10 = {CITY: 0.55, TOWN: 0.5, CENTRE: 0.45, VILLAGE: 0.4}
# Students per teacher and the smallest staff, by kind of settlement and school type.
STUDENTS_PER_TEACHER = {CITY: 18.0, TOWN: 15.5, CENTRE: 12.5, VILLAGE: 8.0}
MIN_TEACHERS: dict[str, int] = {
    T.NOSH: 1,
    T.OOSH: 7,
    T.SOSH: 11,
    T.GYMNASIUM: 30,
    T.LYCEUM: 30,
    T.EVENING: 5,
}
MIN_CLASSROOMS: dict[str, int] = {T.NOSH: 2, T.OOSH: 8, T.EVENING: 5}
TOP_GRADE: dict[str, int] = {T.NOSH: 4, T.OOSH: 9, T.CORRECTIONAL: 9}
OVER_55 = {CITY: 0.22, TOWN: 0.27, CENTRE: 0.32, VILLAGE: 0.40}
UNDER_35 = {CITY: 0.24, TOWN: 0.19, CENTRE: 0.15, VILLAGE: 0.10}
HIGHEST_CATEGORY = {CITY: 0.30, TOWN: 0.25, CENTRE: 0.20, VILLAGE: 0.12}
NO_SUBJECT_TRAINING = {CITY: 0.02, TOWN: 0.04, CENTRE: 0.07, VILLAGE: 0.16}
TEACHER_LOAD = {CITY: 25.0, TOWN: 24.5, CENTRE: 25.0, VILLAGE: 27.0}
PROJECTORS = {CITY: 0.85, TOWN: 0.75, CENTRE: 0.65, VILLAGE: 0.50}
BOARDS = {CITY: 0.35, TOWN: 0.28, CENTRE: 0.22, VILLAGE: 0.12}
OUTDATED = {CITY: 0.20, TOWN: 0.28, CENTRE: 0.35, VILLAGE: 0.50}
INTERNET = {CITY: (100, 500), TOWN: (50, 200), CENTRE: (30, 100), VILLAGE: (10, 50)}
TOCHKA_ROSTA = {CITY: 0.08, TOWN: 0.3, CENTRE: 0.65, VILLAGE: 0.65}


def clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def pct(value: float) -> Decimal:
    """A share in percent with two decimals, within 0–100."""
    return Decimal(f"{clamp(value, 0.0, 100.0):.2f}")


def rate(value: float) -> Decimal:
    """Staff rates in quarters (0, 0.25, 0.5, ...)."""
    return Decimal(f"{max(0.0, round(value * 4) / 4):.2f}")


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth), small λ only."""
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def of_students(total: int, share: float) -> Decimal:
    """A share of `total` students rounded to whole students, so a school of 14 gets 1/14."""
    if total == 0:
        return pct(0)
    return pct(round(total * clamp(share, 0, 100) / 100) * 100 / total)


class SchoolYears:
    """Draws the yearly snapshots of one school; `years` ascend and end with the latest."""

    def __init__(self, school: School, profile: SchoolProfile, years: tuple[int, ...], seed: str):
        self.school, self.p, self.years = school, profile, years
        self.rng = random.Random(seed)
        self.last = years[-1]

    def grades(self) -> dict[int, list[int]]:
        """Students by grade for each year: cohorts move up a grade a year (grade g ← g-1)."""
        p, rng = self.p, self.rng
        if p.school_type == T.EVENING:
            weights = {7: 0.05, 8: 0.1, 9: 0.35, 10: 0.25, 11: 0.25}
            return {
                y: [
                    round(p.size * (1 + p.trend) ** (y - self.last) * weights.get(g, 0))
                    for g in GRADES
                ]
                for y in self.years
            }
        top = TOP_GRADE.get(p.school_type, 11)
        stay = STAY_FOR_GRADE_10[p.tier] + (0.3 if p.school_type in (T.GYMNASIUM, T.LYCEUM) else 0)

        def retention(g: int) -> float:
            return 0.0 if g > top else 1.0 if g <= 9 else stay * (1.0 if g == 10 else 0.97)

        base = p.size / sum(retention(g) for g in GRADES)
        cohort = {
            entry: base * (1 + p.trend) ** (entry - self.last) * rng.lognormvariate(0, 0.07)
            for entry in range(self.years[0] - 10, self.last + 1)
        }
        return {
            y: [
                max(0, round(cohort[y - g + 1] * retention(g) * rng.gauss(1, 0.02))) for g in GRADES
            ]
            for y in self.years
        }

    def build(self) -> list[SchoolSnapshot]:
        p, rng = self.p, self.rng
        by_year = self.grades()
        d = p.deprivation
        urban_ish = p.tier in (CITY, TOWN)
        elite = p.school_type in (T.GYMNASIUM, T.LYCEUM)
        # Per-school levels: drawn once, then drift smoothly year to year.
        social = {
            "low_income_share": (6 + 38 * d + rng.gauss(0, 3), -0.3),
            "large_families_share": (8 + 18 * d + rng.gauss(0, 3), 0.4),
            "single_parent_share": (14 + 8 * d + rng.gauss(0, 3), 0.1),
            "unemployed_parents_share": (2 + 16 * d + rng.gauss(0, 2), -0.2),
            "parents_higher_ed_share": (68 - 55 * d + (8 if elite else 0) + rng.gauss(0, 4), 0.3),
        }
        if p.school_type == T.CORRECTIONAL:
            ovz = (100.0, 0.0)
        elif p.ovz_outlier:
            ovz = (rng.uniform(18, 30), 0.3)
        else:
            ovz = (clamp(4 + 2 * d + rng.gauss(0, 1.5), 0.5, 12), 0.2)
        rkn = (
            (rng.uniform(24, 45), 0.5)
            if p.rkn_outlier
            else (min(12.0, rng.expovariate(1 / (2.0 if urban_ish else 1.0))), 0.05)
        )
        ratio = STUDENTS_PER_TEACHER[p.tier] * rng.uniform(0.85, 1.15)
        min_teachers = MIN_TEACHERS.get(p.school_type, 12)
        over_55 = OVER_55[p.tier] + 0.08 * p.remoteness + rng.gauss(0, 0.05)
        under_35 = UNDER_35[p.tier] + rng.gauss(0, 0.04)
        highest = HIGHEST_CATEGORY[p.tier] + (0.2 if elite else 0) + rng.gauss(0, 0.05)
        first = 0.35 + rng.gauss(0, 0.07)
        untrained = NO_SUBJECT_TRAINING[p.tier] + 0.08 * p.remoteness + rng.gauss(0, 0.02)
        load = TEACHER_LOAD[p.tier] + rng.gauss(0, 1.5)
        vacancy_rate = 0.2 + 0.6 * p.remoteness if p.tier == VILLAGE else 0.3
        min_rooms = MIN_CLASSROOMS.get(p.school_type, 12)
        classrooms = max(min_rooms, round(p.size / 22) + 4 + rng.randint(-1, 2))
        projectors = PROJECTORS[p.tier] - 0.15 * d + rng.gauss(0, 0.06)
        boards = BOARDS[p.tier] + rng.gauss(0, 0.05)
        computers = round(p.size * 0.10 + classrooms * 0.6 + 5 + rng.randint(0, 5))
        outdated = OUTDATED[p.tier] + 0.1 * p.remoteness + rng.gauss(0, 0.08)
        renewal = rng.choice([None, *self.years]) if rng.random() < 0.4 else None
        low, high = INTERNET[p.tier]
        internet = rng.uniform(low, high) * (0.3 if p.tier == VILLAGE and p.remoteness > 0.7 else 1)
        buildings = 1 + (
            rng.random() < (0.25 if p.size > 800 else 0.3 if p.tier == VILLAGE else 0.1)
        )
        repair = sum(rng.random() < 0.1 + 0.35 * d for _ in range(buildings))
        repaired_in = rng.choice(self.years) if repair and rng.random() < 0.3 else None
        eligible = p.school_type in (T.SOSH, T.OOSH)
        tochka = (
            rng.randint(2019, self.last)
            if eligible and rng.random() < TOCHKA_ROSTA[p.tier]
            else None
        )
        profiles = 0
        if self.school.teaches_secondary:
            profiles = (
                rng.randint(2, 6)
                if elite
                else {CITY: rng.randint(0, 3), TOWN: rng.randint(0, 2)}.get(
                    p.tier, int(rng.random() < 0.15)
                )
            )
        specialists = self._specialists()

        snapshots = []
        for year in self.years:
            t = year - self.last  # 0 in the last year, negative before
            grades = by_year[year]
            total = sum(grades)

            teachers = max(min_teachers, round(total / ratio))
            n_over = min(teachers, round(teachers * clamp(over_55 - 0.006 * t, 0, 1)))
            n_under = min(teachers - n_over, round(teachers * clamp(under_35, 0, 1)))
            n_highest = min(teachers, round(teachers * clamp(highest, 0, 1)))
            n_first = min(teachers - n_highest, round(teachers * clamp(first, 0, 1)))
            out_share = 0.1 if renewal is not None and year >= renewal else outdated + 0.03 * t
            values: dict[str, object] = {f"students_g{g}": grades[g - 1] for g in GRADES}
            values.update(
                ovz_share=of_students(total, self._drift(*ovz, t, noise=0.3))
                if ovz[0] < 100
                else pct(100),
                rkn_share=of_students(total, self._drift(*rkn, t, noise=0.3)),
                **{name: pct(self._drift(*spec, t)) for name, spec in social.items()},
                teachers_total=teachers,
                teachers_highest_category=n_highest,
                teachers_first_category=n_first,
                teachers_over_55=n_over,
                teachers_under_35=n_under,
                vacancies_over_year=poisson(rng, vacancy_rate),
                teachers_without_subject_training=min(
                    teachers, round(teachers * clamp(untrained, 0, 1))
                ),
                avg_teacher_load=Decimal(f"{clamp(load + rng.gauss(0, 0.4), 16, 36):.1f}"),
                classrooms_total=classrooms,
                classrooms_with_projector=round(classrooms * clamp(projectors + 0.04 * t, 0, 1)),
                classrooms_with_board=round(classrooms * clamp(boards + 0.02 * t, 0, 1)),
                computers_total=computers,
                computers_outdated=round(computers * clamp(out_share, 0, 1)),
                internet_speed_mbps=Decimal(f"{max(1.0, internet * 1.15**t):.1f}"),
                buildings_total=buildings,
                buildings_need_repair=0
                if repaired_in is not None and year >= repaired_in
                else repair,
                has_tochka_rosta=tochka is not None and year >= tochka,
                profile_classes=profiles if self.school.teaches_secondary else None,
                **specialists,
            )
            snapshot = SchoolSnapshot(school=self.school, year=year, **values)
            snapshot.students_total = snapshot.compute_total()
            snapshots.append(snapshot)
        return snapshots

    def _drift(self, level: float, slope: float, t: int, noise: float = 0.6) -> float:
        """`level` in the last year, `slope` a year, plus a little yearly noise."""
        return level + slope * t + self.rng.gauss(0, noise)

    def _specialists(self) -> dict[str, object]:
        """Rates and contracted persons of the four specialists; stable over the years."""
        p, rng = self.p, self.rng
        size, poor = p.size, p.deprivation
        correctional = p.school_type == T.CORRECTIONAL
        psych = (
            rng.uniform(1, 2)
            if size >= 500
            else rng.uniform(0.5, 1)
            if size >= 150
            else rng.choice([0, 0, 0.25, 0.5])
        )
        if correctional:
            defect = rng.uniform(2, 4)
        elif p.ovz_outlier:
            defect = rng.uniform(0.5, 1.5)
        else:
            defect = 0.5 if size >= 700 and rng.random() < 0.4 else 0.0
        speech = (
            rng.uniform(2, 3)
            if correctional
            else rng.uniform(0.5, 1.5)
            if size >= 300
            else rng.choice([0, 0.25, 0.5])
        )
        if p.school_type == T.NOSH and size < 20:
            speech = 0.0
        social = (
            rng.uniform(0.5, 1)
            if size >= 300
            else (0.5 if poor > 0.55 and rng.random() < 0.5 else 0.0)
        )
        return {
            "psychologist_rates": rate(psych),
            "psychologist_contracted": int(psych == 0 and rng.random() < 0.3),
            "defectologist_rates": rate(defect),
            "defectologist_contracted": int(defect == 0 and rng.random() < 0.1),
            "speech_therapist_rates": rate(speech),
            "speech_therapist_contracted": int(speech == 0 and rng.random() < 0.2),
            "social_pedagogue_rates": rate(social),
            "social_pedagogue_contracted": 0,
        }


@demo_step("Годовые срезы школ")
def build_snapshots(ctx: DemoContext) -> None:
    """Create one snapshot per school and year; each school draws from its own random source."""
    snapshots: list[SchoolSnapshot] = []
    for school in ctx.schools:
        seed = f"opora-demo:{ctx.seed}:snapshots:{school.code}"
        for snapshot in SchoolYears(school, ctx.profiles[school.code], ctx.years, seed).build():
            # Foreign keys point at rows this generation has just written: skip their lookups.
            snapshot.full_clean(
                exclude=["school"], validate_unique=False, validate_constraints=False
            )
            snapshots.append(snapshot)
    ctx.snapshots = SchoolSnapshot.objects.bulk_create(snapshots, batch_size=1000)
