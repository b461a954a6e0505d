"""Import of the school registry from XLSX or CSV: validate every row, then write all or nothing.

`import_schools` is the one entry point for the command and the upload page. It never raises on
bad input: problems come back as `RowError`s in the result, and nothing is written unless the
whole file is valid. A dry run performs the writes inside a transaction it rolls back, so the
counts it reports are exactly those a real run would produce.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation

from opora.core.importing import ImportFailed, RowError, map_columns, read_table
from opora.core.importing.templates import EXAMPLE_SHEET, INSTRUCTION_SHEET
from opora.core.models import AuditEntry
from opora.territory import services
from opora.territory.importers.plan import Planner
from opora.territory.importers.plan_types import (
    COLUMN_BY_KEY,
    ImportPlan,
    Progress,
    card_data,
    snapshot_data,
    validation_messages,
)
from opora.territory.importers.schools_format import COLUMNS, DATA_SHEET
from opora.territory.models import Municipality, Region, Settlement
from opora.territory.services import WriteStatus

SOURCE = AuditEntry.Source.IMPORT


@dataclass
class StatusCounts:
    """How many objects a run created, updated and left unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, status: WriteStatus) -> None:
        setattr(self, str(status), getattr(self, str(status)) + 1)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class SchoolImportResult:
    """What an import found and did; `errors` empty means the file is valid."""

    file: str
    sheet: str = ""
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    schools: StatusCounts = field(default_factory=StatusCounts)
    snapshots: StatusCounts = field(default_factory=StatusCounts)
    municipalities_created: int = 0
    settlements_created: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise `ImportFailed` when the file had errors."""
        if self.errors:
            raise ImportFailed(self.errors)


def import_schools(
    data: bytes,
    filename: str,
    *,
    region_code: str,
    region_name: str = "",
    actor: Any = None,
    user: Any = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> SchoolImportResult:
    """Validate the registry file and, when it is valid and not a dry run, write it.

    `actor` is recorded in the audit trail; `user`, when given, limits the import to the
    schools and municipalities within that user's scope (the command passes none). The region
    with `region_code` is created with `region_name` when it does not exist yet.
    """
    with translation.override("ru"):
        result = SchoolImportResult(file=filename)
        table, errors = read_table(
            data,
            filename,
            preferred_sheets=[DATA_SHEET],
            skip_sheets=[INSTRUCTION_SHEET, EXAMPLE_SHEET],
        )
        if table is None:
            result.errors = errors
            return result
        result.sheet = table.sheet
        mapped, errors = map_columns(table, COLUMNS)
        if mapped is None:
            result.errors = errors
            return result
        result.ignored_headers = mapped.ignored
        region = Region.objects.filter(code=region_code).first()
        if region is None and not region_name:
            result.errors = [
                table.error(
                    f"Регион с кодом «{region_code}» не найден; укажите его наименование, "
                    "чтобы создать его."
                )
            ]
            return result
        planner = Planner(mapped, region, user)
        plan = planner.run(progress)
        result.rows = sum(len(school.rows) for school in plan.schools.values())
        if planner.errors:
            result.errors = sorted(planner.errors, key=lambda e: (e.row, e.column))
            return result
        _commit(
            plan,
            result,
            mapped_error=mapped.error,
            region_code=region_code,
            region_name=region_name,
            actor=actor,
            dry_run=dry_run,
            progress=progress,
        )
        return result


class _Rollback(Exception):
    """Raised inside the transaction of a dry run to undo its writes."""


def _commit(
    plan: ImportPlan,
    result: SchoolImportResult,
    *,
    mapped_error: Any,
    region_code: str,
    region_name: str,
    actor: Any,
    dry_run: bool,
    progress: Progress | None,
) -> None:
    current = {"row": 0}
    try:
        with transaction.atomic():
            _write(
                plan,
                result,
                current,
                region_code=region_code,
                region_name=region_name,
                actor=actor,
                progress=progress,
            )
            if dry_run:
                raise _Rollback
        result.committed = True
    except _Rollback:
        pass
    except ValidationError as exc:
        _reset_counts(result)
        for name, messages in validation_messages(exc).items():
            key = name if name in COLUMN_BY_KEY and name != NON_FIELD_ERRORS else None
            result.errors.append(mapped_error(current["row"], key, "", " ".join(messages)))
    except DatabaseError as exc:
        _reset_counts(result)
        result.errors.append(
            mapped_error(current["row"], None, "", f"база данных отклонила запись: {exc}")
        )


def _reset_counts(result: SchoolImportResult) -> None:
    result.schools, result.snapshots = StatusCounts(), StatusCounts()
    result.municipalities_created = result.settlements_created = 0


def _write(
    plan: ImportPlan,
    result: SchoolImportResult,
    current: dict[str, int],
    *,
    region_code: str,
    region_name: str,
    actor: Any,
    progress: Progress | None,
) -> None:
    region = plan.region
    if region is None:
        region, _ = services.region_upsert(
            actor=actor, code=region_code, name=region_name, source=SOURCE
        )
    municipalities: dict[str, Municipality] = {}
    for key, muni in plan.municipalities.items():
        current["row"] = muni.row
        if muni.existing is not None:
            municipalities[key] = muni.existing
            continue
        municipalities[key], _ = services.municipality_upsert(
            actor=actor,
            region=region,
            code=muni.code,
            data={"name": muni.name, "kind": muni.kind},
            source=SOURCE,
        )
        result.municipalities_created += 1
    settlements: dict[tuple[str, str], Settlement] = {}
    for key2, settlement in plan.settlements.items():
        current["row"] = settlement.row
        if settlement.existing is not None and not settlement.data:
            settlements[key2] = settlement.existing
            continue
        settlements[key2], status = services.settlement_upsert(
            actor=actor,
            municipality=municipalities[settlement.municipality_key],
            name=settlement.existing.name if settlement.existing else settlement.name,
            data=settlement.data,
            source=SOURCE,
        )
        result.settlements_created += status == WriteStatus.CREATED
    total = len(plan.schools)
    for done, school_plan in enumerate(plan.schools.values(), start=1):
        current["row"] = school_plan.rows[0].number
        data = card_data(school_plan)
        data["municipality"] = municipalities[school_plan.municipality_key or ""]
        if school_plan.settlement_key is not None:
            data["settlement"] = settlements[school_plan.settlement_key]
        school, status = services.school_upsert(
            actor=actor, code=school_plan.code, data=data, source=SOURCE
        )
        result.schools.add(status)
        for row in school_plan.rows:
            current["row"] = row.number
            _, status = services.snapshot_upsert(
                actor=actor, school=school, year=row.year, data=snapshot_data(row), source=SOURCE
            )
            result.snapshots.add(status)
        if progress and (done % 20 == 0 or done == total):
            progress("Запись", done, total)


def default_region_code() -> str | None:
    """The code of the only region in the database, or None when there are none or several."""
    codes = list(Region.objects.values_list("code", flat=True)[:2])
    return codes[0] if len(codes) == 1 else None
