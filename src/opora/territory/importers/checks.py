"""Model validation of planned writes: full_clean of each object, errors mapped to columns.

A mixin of `Planner`; it validates in memory and writes nothing.
"""

import copy

from django.core.exceptions import ValidationError

from opora.core.importing import MappedTable, RowError
from opora.territory.importers.plan_types import (
    COLUMN_BY_KEY,
    SNAPSHOT_KEYS,
    ImportPlan,
    RowPlan,
    SchoolPlan,
    validation_messages,
)
from opora.territory.importers.schools_format import CARD_FIELDS
from opora.territory.models import Municipality, School, SchoolSnapshot, Settlement


class ModelChecks:
    """Runs the model validation (`full_clean`) of every object the plan would write."""

    mapped: MappedTable
    plan: ImportPlan
    errors: list[RowError]
    _codes: set[str]

    def error(self, row: int, key: str | None, value: object, message: str) -> None:
        self.errors.append(self.mapped.error(row, key, value, message))

    def _report(self, exc: ValidationError, row: RowPlan, key_of: dict[str, str]) -> None:
        """Map each field of a model ValidationError back to the column it came from."""
        for name, messages in validation_messages(exc).items():
            mapped = key_of.get(name, name)
            key = mapped if mapped in COLUMN_BY_KEY else None
            if key in row.failed:
                continue  # the cell itself was already reported
            value = row.raws.get(key, "") if key else ""
            self.error(row.number, key, value, " ".join(messages))

    def _validate_municipalities(self) -> None:
        codes = set(self._codes)
        for muni in self.plan.municipalities.values():
            if muni.existing is not None:
                continue
            row = self._row_of(muni.row)
            if not muni.kind:
                self.error(
                    muni.row,
                    "municipality_kind",
                    "",
                    f"муниципалитета «{muni.name}» ещё нет в регионе: укажите его вид",
                )
            if muni.code and muni.code in codes:
                self.error(
                    muni.row,
                    "municipality_code",
                    muni.code,
                    "муниципалитет с таким кодом уже есть в регионе",
                )
            if not muni.code:
                number = len(codes) + 1
                while f"МО-{number:02d}" in codes:
                    number += 1
                muni.code = f"МО-{number:02d}"
            codes.add(muni.code)
            instance = Municipality(name=muni.name, code=muni.code, kind=muni.kind or "district")
            try:
                instance.full_clean(
                    exclude=["region"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                self._report(
                    exc,
                    row,
                    {
                        "name": "municipality",
                        "code": "municipality_code",
                        "kind": "municipality_kind",
                    },
                )

    def _validate_settlements(self) -> None:
        for settlement in self.plan.settlements.values():
            row = self._row_of(settlement.row)
            if settlement.existing is None and "population_band" not in settlement.data:
                self.error(
                    settlement.row,
                    "settlement_population",
                    "",
                    f"населённого пункта «{settlement.name}» ещё нет: укажите численность "
                    "населения или группу по численности",
                )
                continue
            instance = (
                copy.copy(settlement.existing)
                if settlement.existing
                else Settlement(name=settlement.name)
            )
            for name, value in settlement.data.items():
                setattr(instance, name, value)
            try:
                instance.full_clean(
                    exclude=["municipality"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                self._report(
                    exc,
                    row,
                    {
                        "name": "settlement",
                        "population": "settlement_population",
                        "population_band": "settlement_band",
                    },
                )

    def _row_of(self, number: int) -> RowPlan:
        for school in self.plan.schools.values():
            for row in school.rows:
                if row.number == number:
                    return row
        return RowPlan(number, 0, {}, {})

    def _validate_school(self, school: SchoolPlan) -> None:
        if not school.rows:
            return
        instance = copy.copy(school.existing) if school.existing else School(code=school.code)
        for name in CARD_FIELDS:
            if name in school.card:
                setattr(instance, name, school.card[name])
        exclude = []
        muni = self.plan.municipalities.get(school.municipality_key or "")
        if muni is not None and muni.existing is not None:
            instance.municipality = muni.existing
        else:
            exclude.append("municipality")
        settlement = (
            self.plan.settlements.get(school.settlement_key) if school.settlement_key else None
        )
        if settlement is not None and settlement.existing is not None:
            instance.settlement = settlement.existing
        elif settlement is not None:
            exclude.append("settlement")
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for name, messages in validation_messages(exc).items():
                key = name if name in COLUMN_BY_KEY else None
                if key in school.failed:
                    continue  # the cell itself was already reported
                row = school.origin.get(name, school.rows[0])
                value = row.raws.get(name, "") if key else ""
                self.error(row.number, key, value, " ".join(messages))

    def _validate_snapshot(self, school: SchoolPlan, row: RowPlan) -> None:
        existing = None
        if school.existing is not None:
            existing = self.plan.snapshots.get((school.existing.pk, row.year))
        instance = copy.copy(existing) if existing is not None else SchoolSnapshot(year=row.year)
        for name in SNAPSHOT_KEYS:
            if name in row.values:
                setattr(instance, name, row.values[name])
        instance.year = row.year
        exclude = ["school"]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._report(exc, row, {})
