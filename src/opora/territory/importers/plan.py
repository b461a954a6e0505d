"""Phase one of the school registry import: read every row, validate it, and plan the writes.

Nothing here writes to the database. The plan lists, per school, the card values and the yearly
snapshots; per new municipality and settlement, what to create. Every problem becomes a
`RowError` that names the row and column it came from.
"""

from typing import Any

from opora.accounts.policy import objects_for, scope_of
from opora.accounts.roles import Capability
from opora.core.importing import CellError, MappedTable, RowError, is_blank, normalize_text
from opora.territory.choices import population_band
from opora.territory.importers.checks import ModelChecks
from opora.territory.importers.plan_types import (
    COLUMN_BY_KEY,
    ImportPlan,
    MunicipalityPlan,
    Progress,
    RowPlan,
    SchoolPlan,
    SettlementPlan,
    differs,
)
from opora.territory.importers.schools_format import CARD_FIELDS
from opora.territory.models import Municipality, Region, School, SchoolSnapshot, Settlement


class Planner(ModelChecks):
    """Builds an `ImportPlan` from a mapped table, collecting every error on the way."""

    def __init__(self, mapped: MappedTable, region: Region | None, user: Any = None):
        self.mapped = mapped
        self.plan = ImportPlan(region=region)
        self.user = user
        self.errors: list[RowError] = []

    def run(self, progress: Progress | None = None) -> ImportPlan:
        rows = list(self.mapped.rows())
        for done, (number, cells) in enumerate(rows, start=1):
            self._read_row(number, cells)
            if progress and (done % 50 == 0 or done == len(rows)):
                progress("Проверка строк", done, len(rows))
        if not rows:
            self.errors.append(self.mapped.table.error("В таблице нет ни одной строки с данными."))
        self._load_existing()
        for school in self.plan.schools.values():
            self._resolve_territory(school)
        self._validate_municipalities()
        self._validate_settlements()
        for school in self.plan.schools.values():
            self._validate_school(school)
            for row in school.rows:
                self._validate_snapshot(school, row)
        return self.plan

    # Reading rows ---------------------------------------------------------------------------

    def _read_row(self, number: int, cells: list[object]) -> None:
        values: dict[str, Any] = {}
        raws: dict[str, Any] = {}
        failed: set[str] = set()
        for key in self.mapped.positions:
            raw = self.mapped.raw(cells, key)
            if is_blank(raw):
                continue
            try:
                values[key] = COLUMN_BY_KEY[key].parse(raw)
            except CellError as exc:
                self.error(number, key, raw, str(exc))
                failed.add(key)
            raws[key] = raw
        code, year = values.get("code"), values.get("year")
        if not code and "code" not in failed:
            self.error(number, "code", "", "не указан код школы")
        if year is None and "year" not in failed:
            self.error(number, "year", "", "не указан год")
        if not code or year is None:
            return
        school = self.plan.schools.setdefault(code, SchoolPlan(code=code))
        twin = next((row for row in school.rows if row.year == year), None)
        if twin is not None:
            self.error(
                number,
                "year",
                raws["year"],
                f"школа «{code}» за {year} год уже есть в строке {twin.number}; "
                "каждая школа указывается один раз за год",
            )
            return
        row = RowPlan(number, year, values, raws, failed)
        school.rows.append(row)
        school.failed |= failed
        for key in [
            *CARD_FIELDS,
            "municipality",
            "settlement",
            "municipality_kind",
            "municipality_code",
            "settlement_population",
            "settlement_band",
        ]:
            if key not in values:
                continue
            if key not in school.card:
                school.card[key] = values[key]
                school.origin[key] = row
            elif differs(school.card[key], values[key]):
                first = school.origin[key]
                self.error(
                    number,
                    key,
                    raws[key],
                    f"значение отличается от строки {first.number} той же школы "
                    f"(«{first.raws[key]}»); сведения карточки школы должны совпадать",
                )

    # Territory ------------------------------------------------------------------------------

    def _load_existing(self) -> None:
        plan = self.plan
        schools = School.objects.filter(code__in=list(plan.schools)).select_related(
            "municipality__region", "settlement"
        )
        for school in schools:
            plan.schools[school.code].existing = school
        for snapshot in SchoolSnapshot.objects.filter(school__in=[s.pk for s in schools]):
            plan.snapshots[(snapshot.school_id, snapshot.year)] = snapshot
        self._municipalities: dict[str, Municipality] = {}
        self._settlements: dict[tuple[str, str], Settlement] = {}
        if plan.region is not None and plan.region.pk:
            munis = list(Municipality.objects.filter(region=plan.region))
            self._municipalities = {normalize_text(m.name): m for m in munis}
            self._codes = {m.code for m in munis}
            for settlement in Settlement.objects.filter(municipality__in=munis).select_related(
                "municipality"
            ):
                key = (
                    normalize_text(settlement.municipality.name),
                    normalize_text(settlement.name),
                )
                self._settlements[key] = settlement
        else:
            self._codes = set()
        if self.user is not None:
            self._scope = scope_of(self.user, Capability.REGISTRY_IMPORT)
            self._allowed_munis = set(
                objects_for(self.user, Capability.REGISTRY_IMPORT, Municipality).values_list(
                    "pk", flat=True
                )
            )
            self._allowed_schools = set(
                objects_for(self.user, Capability.REGISTRY_IMPORT, School)
                .filter(code__in=list(plan.schools))
                .values_list("pk", flat=True)
            )

    def _resolve_territory(self, school: SchoolPlan) -> None:
        plan, existing = self.plan, school.existing
        first = school.rows[0]
        region_id = plan.region.pk if plan.region is not None else None
        if existing is not None and existing.municipality.region_id != region_id:
            self.error(
                first.number,
                "code",
                school.code,
                f"школа с этим кодом уже есть в другом регионе "
                f"(«{existing.municipality.region}»); её нельзя загрузить в этот регион",
            )
            return
        name = school.card.get("municipality")
        if name:
            key = normalize_text(name)
            school.municipality_key = key
            if key not in plan.municipalities:
                plan.municipalities[key] = MunicipalityPlan(
                    name=name,
                    row=school.origin["municipality"].number,
                    existing=self._municipalities.get(key),
                )
            muni_plan = plan.municipalities[key]
            for attr, card_key in (("kind", "municipality_kind"), ("code", "municipality_code")):
                value = school.card.get(card_key)
                if value and not getattr(muni_plan, attr):
                    setattr(muni_plan, attr, value)
        elif existing is not None:
            key = normalize_text(existing.municipality.name)
            school.municipality_key = key
            plan.municipalities.setdefault(
                key,
                MunicipalityPlan(existing.municipality.name, first.number, existing.municipality),
            )
        else:
            self.error(
                first.number,
                "municipality",
                "",
                "не указан муниципалитет: он нужен для новой школы",
            )
            return
        self._check_scope(school)
        settlement = school.card.get("settlement")
        if settlement and school.municipality_key is not None:
            key2 = (school.municipality_key, normalize_text(settlement))
            school.settlement_key = key2
            row = school.origin["settlement"]
            settlement_plan = plan.settlements.setdefault(
                key2,
                SettlementPlan(
                    school.municipality_key, settlement, row.number, self._settlements.get(key2)
                ),
            )
            data: dict[str, Any] = {}
            if "settlement_population" in school.card:
                data["population"] = school.card["settlement_population"]
                data["population_band"] = population_band(max(0, data["population"]))
            elif "settlement_band" in school.card:
                data["population_band"] = school.card["settlement_band"]
            for name2, value in data.items():
                known = settlement_plan.data.get(name2)
                if known is not None and known != value and name2 != "population_band":
                    self.error(
                        row.number,
                        "settlement_population",
                        value,
                        f"для населённого пункта «{settlement}» в строке "
                        f"{settlement_plan.row} указана другая численность ({known})",
                    )
                settlement_plan.data.setdefault(name2, value)
            if settlement_plan.existing is None and "is_urban" in school.card:
                settlement_plan.data.setdefault("is_urban", school.card["is_urban"])

    def _check_scope(self, school: SchoolPlan) -> None:
        if self.user is None or self._scope.everything:
            return
        first = school.rows[0]
        muni = self.plan.municipalities[school.municipality_key or ""]
        if school.existing is not None and school.existing.pk not in self._allowed_schools:
            self.error(
                first.number,
                "code",
                school.code,
                "школа вне вашей зоны ответственности: изменять её вы не можете",
            )
        elif muni.existing is None:
            if self.plan.region is None or self.plan.region.pk not in self._scope.region_ids:
                self.error(
                    school.origin.get("municipality", first).number,
                    "municipality",
                    muni.name,
                    "создавать новые муниципалитеты может только региональный пользователь",
                )
        elif muni.existing.pk not in self._allowed_munis and (
            school.existing is None or school.existing.municipality_id != muni.existing.pk
        ):
            self.error(
                school.origin.get("municipality", first).number,
                "municipality",
                muni.name,
                "муниципалитет вне вашей зоны ответственности",
            )
