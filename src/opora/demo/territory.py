"""Steps that build the region, its municipalities and the settlements that have schools."""

import random
from dataclasses import dataclass
from typing import Any

from opora.core.models import AuditEntry
from opora.demo import names
from opora.demo.context import DemoContext, demo_step
from opora.territory.choices import MunicipalityKind, population_band
from opora.territory.models import Municipality, Settlement
from opora.territory.services import municipality_upsert, region_upsert

SOURCE = AuditEntry.Source.DEMO

# Kinds of settlement in the demo, from the regional centre down to a village.
CITY, TOWN, CENTRE, VILLAGE = "city", "town", "centre", "village"

CITY_SHARE = 0.22  # share of all schools in the regional centre
TOWNS_SHARE = 0.18  # share of all schools in the urban okrugs


@dataclass
class SettlementPlan:
    """A settlement to create and what the school step needs to know about it."""

    municipality: Municipality
    prefix: str  # «г.», «пгт», «с.», «д.», «п.»
    bare_name: str
    population: int
    tier: str  # CITY, TOWN, CENTRE or VILLAGE
    schools: int
    remoteness: float  # 0 = next to the regional centre, 1 = the most remote
    settlement: Settlement | None = None

    @property
    def name(self) -> str:
        return f"{self.prefix} {self.bare_name}"

    @property
    def is_urban(self) -> bool:
        return self.prefix in ("г.", "пгт")


def allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` into integer parts proportional to `weights`, each at least `minimum`."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("Слишком мало школ для такого числа муниципалитетов.")
    weight_sum = sum(weights)
    exact = [rest * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


class VillageNames:
    """Hands out village names, unique in the region while the pool lasts."""

    def __init__(self, rng: random.Random, taken: set[str]) -> None:
        pool: list[tuple[str, str]] = []
        for gender, roots in (
            ("f", names.VILLAGES_FEMININE),
            ("n", names.VILLAGES_NEUTER),
            ("m", names.VILLAGES_MASCULINE),
        ):
            pool += [(root, gender) for root in roots]
        rng.shuffle(pool)
        modified = [
            (f"{modifier} {root}", gender)
            for root, gender in pool
            for modifier in names.MODIFIERS[gender]
        ]
        rng.shuffle(modified)
        self._pool = [item for item in pool + modified if item[0] not in taken]
        self._all = list(self._pool)
        self._rng = rng
        self._next = 0

    def take(self, population: int, used_here: set[str]) -> tuple[str, str]:
        """Return (prefix, name) for a village of `population` not yet used in its municipality."""
        while True:
            if self._next < len(self._pool):
                name, gender = self._pool[self._next]
                self._next += 1
            else:  # the pool is spent: names repeat across municipalities, as in real regions
                name, gender = self._rng.choice(self._all)
            if name not in used_here:
                break
        if gender == "m":
            prefix = "п."
        elif gender == "n" and name.endswith("ое"):
            prefix = "с."
        else:
            prefix = "с." if population >= 500 else "д."
        return prefix, name


@demo_step("Регион и муниципалитеты")
def build_territory(ctx: DemoContext) -> None:
    """Create the region, its municipalities and the settlement plan with school counts."""
    rng = ctx.rng_for("territory")
    ctx.region, _ = region_upsert(
        actor=None, code=names.REGION_CODE, name=names.REGION_NAME, source=SOURCE
    )
    total = ctx.schools_target
    n_towns = max(1, min(len(names.TOWNS), round(ctx.municipalities_target * 0.14)))
    n_rural = ctx.municipalities_target - 1 - n_towns
    if n_rural < 1 or n_rural > len(names.DISTRICTS):
        raise ValueError(f"Число муниципалитетов должно быть от 3 до {len(names.DISTRICTS) + 6}.")
    city_schools = max(3, round(total * CITY_SHARE))
    town_schools = max(3 * n_towns, round(total * TOWNS_SHARE))
    rural_schools = total - city_schools - town_schools

    plans: list[SettlementPlan] = []
    counter = iter(range(1, 100))

    def municipality(name: str, kind: str) -> Municipality:
        code = f"{names.REGION_CODE}{next(counter):02d}"
        created, _ = municipality_upsert(
            actor=None,
            region=ctx.region,
            code=code,
            data={"name": name, "kind": kind},
            source=SOURCE,
        )
        ctx.municipalities.append(created)
        return created

    capital = municipality(f"Город {names.CAPITAL}", MunicipalityKind.CITY)
    population = rng.randint(480_000, 520_000)
    plans.append(SettlementPlan(capital, "г.", names.CAPITAL, population, CITY, city_schools, 0.0))

    towns = rng.sample(names.TOWNS, n_towns)
    populations = sorted((rng.randint(25_000, 110_000) for _ in towns), reverse=True)
    for town, population, count in zip(
        towns, populations, allocate(town_schools, [float(p) for p in populations], 3), strict=True
    ):
        muni = municipality(f"Городской округ {town}", MunicipalityKind.CITY_DISTRICT)
        remoteness = rng.uniform(0.0, 0.5)
        villages = min(rng.randint(1, 3), max(0, count - 3))
        plans.append(
            SettlementPlan(muni, "г.", town, population, TOWN, count - villages, remoteness)
        )
        plans += _villages(ctx, rng, muni, villages, remoteness)

    districts = sorted(rng.sample(names.DISTRICTS, n_rural))
    weights = [rng.lognormvariate(0, 0.35) for _ in districts]
    for (adjective, centre), count in zip(
        districts, allocate(rural_schools, weights, 4), strict=True
    ):
        is_okrug = rng.random() < 0.35
        kind = MunicipalityKind.MUNICIPAL_OKRUG if is_okrug else MunicipalityKind.MUNICIPAL_DISTRICT
        suffix = "муниципальный округ" if is_okrug else "муниципальный район"
        muni = municipality(f"{adjective} {suffix}", kind)
        ctx.extra.setdefault("district_genitive", {})[muni.code] = (
            f"{names.adjective_genitive(adjective)} "
            + ("муниципального округа" if is_okrug else "муниципального района")
        )
        remoteness = rng.random()
        prefix = rng.choices(["г.", "пгт", "с."], weights=[0.3, 0.35, 0.35])[0]
        low, high = {"г.": (8_000, 25_000), "пгт": (4_000, 12_000), "с.": (2_500, 7_000)}[prefix]
        population = rng.randint(low, high)
        in_centre = max(1, min(5, round(population / 3_000), count - 2))
        plans.append(
            SettlementPlan(muni, prefix, centre, population, CENTRE, in_centre, remoteness)
        )
        plans += _villages(ctx, rng, muni, count - in_centre, remoteness)

    settlements = []
    for plan in plans:
        settlement = Settlement(
            municipality=plan.municipality,
            name=plan.name,
            population=plan.population,
            population_band=population_band(plan.population),
            is_urban=plan.is_urban,
        )
        settlement.full_clean(
            exclude=["municipality"], validate_unique=False, validate_constraints=False
        )
        settlements.append(settlement)
    ctx.settlements = Settlement.objects.bulk_create(settlements)
    for plan, settlement in zip(plans, ctx.settlements, strict=True):
        plan.settlement = settlement
    ctx.extra["settlement_plans"] = plans


def _villages(
    ctx: DemoContext, rng: random.Random, muni: Municipality, count: int, remoteness: float
) -> list[SettlementPlan]:
    """Plan `count` villages of `muni` with one school each."""
    if "village_names" not in ctx.extra:
        taken = {centre for _, centre in names.DISTRICTS} | set(names.TOWNS) | {names.CAPITAL}
        ctx.extra["village_names"] = VillageNames(ctx.rng_for("village-names"), taken)
    pool: VillageNames = ctx.extra["village_names"]
    used: set[str] = ctx.extra.setdefault("village_names_used", {}).setdefault(muni.code, set())
    plans = []
    for _ in range(count):
        population = int(min(4_800, max(60, rng.lognormvariate(6.3, 0.8))))  # median ≈ 550
        prefix, name = pool.take(population, used)
        used.add(name)
        plans.append(SettlementPlan(muni, prefix, name, population, VILLAGE, 1, remoteness))
    return plans


def settlement_plans(ctx: DemoContext) -> list[Any]:
    """The settlement plans built by `build_territory`."""
    return list(ctx.extra["settlement_plans"])
