"""The step that builds school cards and the latent profile each school's figures come from."""

import random
from dataclasses import dataclass

from opora.demo import names
from opora.demo.context import DemoContext, demo_step
from opora.demo.territory import CENTRE, CITY, TOWN, VILLAGE, SettlementPlan, settlement_plans
from opora.territory.choices import SchoolType, TransportAccess
from opora.territory.models import School

T = SchoolType

LEGAL_FORMS = {
    "МБОУ": "Муниципальное бюджетное общеобразовательное учреждение",
    "МАОУ": "Муниципальное автономное общеобразовательное учреждение",
    "МКОУ": "Муниципальное казённое общеобразовательное учреждение",
    "ГКОУ": f"Государственное казённое общеобразовательное учреждение {names.REGION_GENITIVE}",
}
TYPE_NAMES: dict[str, tuple[str, str]] = {  # type → (abbreviation, full words)
    T.SOSH: ("СОШ", "Средняя общеобразовательная школа"),
    T.OOSH: ("ООШ", "Основная общеобразовательная школа"),
    T.NOSH: ("НОШ", "Начальная общеобразовательная школа"),
    T.GYMNASIUM: ("Гимназия", "Гимназия"),
    T.LYCEUM: ("Лицей", "Лицей"),
    T.EVENING: ("В(С)ОШ", "Вечерняя (сменная) общеобразовательная школа"),
    T.CORRECTIONAL: ("С(К)ШИ", "Специальная (коррекционная) школа-интернат"),
}
# Levels taught: (primary 1–4, basic 5–9, secondary 10–11).
LEVELS: dict[str, tuple[bool, bool, bool]] = {
    T.NOSH: (True, False, False),
    T.OOSH: (True, True, False),
    T.SOSH: (True, True, True),
    T.GYMNASIUM: (True, True, True),
    T.LYCEUM: (True, True, True),
    T.EVENING: (False, True, True),
    T.CORRECTIONAL: (True, True, False),
}


@dataclass
class SchoolProfile:
    """Latent traits of a demo school; every yearly figure is drawn around them.

    `deprivation` (0–1) drives the social context, staff and equipment; `remoteness` (0–1) is
    that of the municipality; `size` is the number of students in the last year and `trend`
    its yearly relative change.
    """

    tier: str
    school_type: str
    deprivation: float
    remoteness: float
    size: int
    trend: float
    rkn_outlier: bool = False
    ovz_outlier: bool = False


def _types_for(plan: SettlementPlan, rng: random.Random) -> list[str]:
    """School types in a settlement, by its kind and size."""
    n = plan.schools
    if plan.tier == CITY:
        special = [T.GYMNASIUM] * round(0.08 * n) + [T.LYCEUM] * round(0.07 * n)
        special += [T.EVENING] * (1 + (n >= 60)) + [T.CORRECTIONAL] * max(1, round(0.025 * n))
        special += [T.OOSH] * round(0.02 * n)
    elif plan.tier == TOWN:
        special = [T.GYMNASIUM] * (n >= 6 and rng.random() < 0.7)
        special += [T.LYCEUM] * (n >= 8 and rng.random() < 0.5)
        special += [T.CORRECTIONAL] * (n >= 5 and rng.random() < 0.25)
        special += [T.EVENING] * (n >= 6 and rng.random() < 0.2)
        special += [T.OOSH] * (rng.random() < 0.2)
    elif plan.tier == CENTRE:
        special = [T.GYMNASIUM] * (plan.is_urban and n >= 3 and rng.random() < 0.35)
        special += [T.CORRECTIONAL] * (n >= 2 and rng.random() < 0.12)
    else:
        p = plan.population
        weights = (
            [0.35, 0.45, 0.20] if p < 250 else [0.05, 0.40, 0.55] if p < 800 else [0, 0.15, 0.85]
        )
        return rng.choices([T.NOSH, T.OOSH, T.SOSH], weights=weights)
    special = special[: max(0, n - 1)]
    return [str(t) for t in special] + [T.SOSH] * (n - len(special))


def _legal_form(tier: str, school_type: str, rng: random.Random) -> str:
    if school_type == T.CORRECTIONAL:
        return "ГКОУ"
    if tier in (CITY, TOWN):
        return "МАОУ" if rng.random() < 0.2 else "МБОУ"
    return "МКОУ" if rng.random() < (0.2 if tier == CENTRE else 0.45) else "МБОУ"


def _check_digit(digits: str, weights: list[int]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def fake_inn(tax_office: int, serial: int) -> str:
    """A 10-digit legal-entity ИНН of the demo region with a valid check digit (not real)."""
    body = f"{names.REGION_CODE}{tax_office:02d}{serial:05d}"
    return body + _check_digit(body, [2, 4, 10, 3, 5, 9, 4, 6, 8])


def fake_ogrn(year: int, tax_office: int, serial: int) -> str:
    """A 13-digit ОГРН of the demo region with a valid check digit (not real)."""
    body = f"1{year % 100:02d}{names.REGION_CODE}{tax_office:02d}{serial:05d}"
    return body + str(int(body) % 11 % 10)


def _transport(plan: SettlementPlan, rng: random.Random) -> str:
    if plan.tier == CITY:
        return TransportAccess.DAILY
    r = plan.remoteness + (0.15 if plan.tier == VILLAGE else 0.0) + rng.uniform(-0.1, 0.1)
    if plan.tier == TOWN:
        r -= 0.2
    return (
        TransportAccess.DAILY
        if r < 0.35
        else TransportAccess.ONE_DAY
        if r < 0.8
        else TransportAccess.TWO_DAYS
    )


def _size(tier: str, school_type: str, rng: random.Random) -> int:
    """Students in the last year, by kind of settlement and school type."""
    sizes: dict[str, tuple[int, float, int, int]] = {
        T.GYMNASIUM: (950 if tier == CITY else 750, 0.25, 450, 1600),
        T.LYCEUM: (950 if tier == CITY else 750, 0.25, 450, 1600),
        T.EVENING: (110, 0.35, 40, 180),
        T.CORRECTIONAL: (130, 0.3, 60, 220),
        T.NOSH: (14, 0.5, 3, 40) if tier == VILLAGE else (60, 0.3, 30, 120),
        T.OOSH: {
            CITY: (250, 0.3, 120, 450),
            TOWN: (220, 0.3, 100, 400),
            CENTRE: (150, 0.3, 60, 300),
        }.get(tier, (45, 0.45, 10, 120)),
        T.SOSH: {
            CITY: (1000, 0.35, 350, 2400),
            TOWN: (650, 0.35, 200, 1500),
            CENTRE: (480, 0.35, 120, 1100),
        }.get(tier, (120, 0.45, 35, 380)),
    }
    median, sigma, low, high = sizes[school_type]
    return int(min(high, max(low, median * rng.lognormvariate(0, sigma))))


BASE_DEPRIVATION = {CITY: 0.22, TOWN: 0.35, CENTRE: 0.45, VILLAGE: 0.58}
TYPE_DEPRIVATION: dict[str, float] = {
    T.GYMNASIUM: -0.15,
    T.LYCEUM: -0.15,
    T.CORRECTIONAL: 0.15,
    T.EVENING: 0.25,
    T.NOSH: 0.05,
}
TREND = {CITY: (0.01, 0.01), TOWN: (0.0, 0.015), CENTRE: (-0.01, 0.015), VILLAGE: (-0.03, 0.02)}


@demo_step("Школы")
def build_schools(ctx: DemoContext) -> None:
    """Create the school cards of every planned settlement and their latent profiles."""
    rng = ctx.rng_for("schools")
    serials = rng.sample(range(10_000, 99_999), ctx.schools_target)
    schools: list[School] = []
    per_municipality: dict[str, int] = {}
    for plan in settlement_plans(ctx):
        muni = plan.municipality
        types = _types_for(plan, rng)
        numbers: dict[str, int] = {}
        general = sum(1 for t in types if t in (T.SOSH, T.OOSH, T.NOSH))
        pool = sorted(rng.sample(range(1, int(general * 1.3) + 2), general)) if general > 1 else []
        rng.shuffle(types)
        for school_type in types:
            if school_type in (T.SOSH, T.OOSH, T.NOSH):
                number: int | None = pool.pop(0) if pool else None
            else:
                numbers[school_type] = numbers.get(school_type, 0) + 1
                number = numbers[school_type] if plan.tier in (CITY, TOWN) else None
            per_municipality[muni.code] = per_municipality.get(muni.code, 0) + 1
            seq = per_municipality[muni.code]
            form = _legal_form(plan.tier, school_type, rng)
            abbr, words = TYPE_NAMES[school_type]
            no = f" № {number}" if number else ""
            place = f"{names.PREFIX_GENITIVE[plan.prefix]} {plan.bare_name}"
            district = ctx.extra.get("district_genitive", {}).get(muni.code)
            full_name = f"{LEGAL_FORMS[form]} «{words}{no}» {place}" + (
                f" {district}" if district else ""
            )
            primary, basic, secondary = LEVELS[school_type]
            index = len(schools)
            tax_office = int(muni.code[-2:]) % 20 + 1
            school = School(
                code=f"{muni.code}{seq:03d}",
                inn=fake_inn(tax_office, serials[index]),
                ogrn=fake_ogrn(rng.randint(2002, 2015), tax_office, serials[index]),
                fis_oko_login=""
                if rng.random() < 0.03
                else f"sch{names.REGION_CODE}{index + 1:04d}",
                full_name=full_name,
                short_name=f"{form} {abbr}{no} {plan.name}",
                school_type=school_type,
                teaches_primary=primary,
                teaches_basic=basic,
                teaches_secondary=secondary,
                address=(
                    f"{names.POSTCODE_PREFIX}{rng.randint(100, 999)}, {names.REGION_NAME}, "
                    f"{plan.name}, {rng.choice(names.STREETS)}, д. {rng.randint(1, 60)}"
                ),
                municipality=muni,
                settlement=plan.settlement,
                is_urban=plan.is_urban,
                transport_access=_transport(plan, rng),
                shifts=1,
                is_active=True,
            )
            size = _size(plan.tier, school_type, rng)
            if plan.tier in (CITY, TOWN) and size > 900 and rng.random() < 0.45:
                school.shifts = 2  # crowded city schools teach in two shifts
            deprivation = BASE_DEPRIVATION[plan.tier] + TYPE_DEPRIVATION.get(school_type, 0.0)
            deprivation += 0.15 * plan.remoteness + rng.gauss(0, 0.08)
            mean, spread = TREND[plan.tier]
            ctx.profiles[school.code] = SchoolProfile(
                tier=plan.tier,
                school_type=school_type,
                deprivation=min(0.98, max(0.02, deprivation)),
                remoteness=plan.remoteness,
                size=size,
                trend=rng.gauss(mean, spread),
            )
            school.full_clean(
                exclude=["municipality", "settlement"],
                validate_unique=False,
                validate_constraints=False,
            )
            schools.append(school)
    _mark_outliers(ctx, schools, rng)
    ctx.schools = School.objects.bulk_create(schools, batch_size=500)


def _mark_outliers(ctx: DemoContext, schools: list[School], rng: random.Random) -> None:
    """Pick the few schools with many РКН students and the few with many ОВЗ students."""
    n = len(schools)
    regular = [s for s in schools if s.school_type in (T.SOSH, T.OOSH)]
    urban = [s for s in regular if s.is_urban]
    rural = [s for s in regular if not s.is_urban]
    k_rkn = max(4, round(n * 0.012))
    k_urban = min(len(urban), (k_rkn * 2 + 2) // 3)
    chosen = rng.sample(urban, k_urban) + rng.sample(rural, min(len(rural), k_rkn - k_urban))
    for school in chosen:
        ctx.profiles[school.code].rkn_outlier = True
    rest = [s for s in regular if not ctx.profiles[s.code].rkn_outlier]
    for school in rng.sample(rest, min(len(rest), max(4, round(n * 0.01)))):
        ctx.profiles[school.code].ovz_outlier = True
