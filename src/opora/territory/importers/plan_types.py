"""The plan of a school registry import: rows, schools, territory to create, and helpers."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from opora.core.importing import normalize_text
from opora.territory.importers.schools_format import CARD_FIELDS, COLUMNS, SNAPSHOT_COLUMNS
from opora.territory.models import Municipality, Region, School, SchoolSnapshot, Settlement

Progress = Callable[[str, int, int], None]
SNAPSHOT_KEYS = [column.key for column in SNAPSHOT_COLUMNS]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


@dataclass
class RowPlan:
    """One row: the yearly snapshot of one school."""

    number: int
    year: int
    values: dict[str, Any]
    raws: dict[str, Any]
    failed: set[str] = field(default_factory=set)


@dataclass
class MunicipalityPlan:
    """A municipality the rows name: an existing one or one to create."""

    name: str
    row: int
    existing: Municipality | None = None
    kind: str = ""
    code: str = ""


@dataclass
class SettlementPlan:
    """A settlement the rows name: existing (maybe with a new population) or to create."""

    municipality_key: str
    name: str
    row: int
    existing: Settlement | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class SchoolPlan:
    """One school code: the merged card values, where each came from, and its rows."""

    code: str
    rows: list[RowPlan] = field(default_factory=list)
    card: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, RowPlan] = field(default_factory=dict)
    failed: set[str] = field(default_factory=set)
    existing: School | None = None
    municipality_key: str | None = None
    settlement_key: tuple[str, str] | None = None


@dataclass
class ImportPlan:
    """Everything phase two writes, in order."""

    region: Region | None
    municipalities: dict[str, MunicipalityPlan] = field(default_factory=dict)
    settlements: dict[tuple[str, str], SettlementPlan] = field(default_factory=dict)
    schools: dict[str, SchoolPlan] = field(default_factory=dict)
    snapshots: dict[tuple[int, int], SchoolSnapshot] = field(default_factory=dict)


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    """`{field: [messages]}` of a ValidationError, with non-field errors under `__all__`."""
    if hasattr(exc, "error_dict"):
        return {
            name: [str(m) for e in errs for m in e.messages]
            for name, errs in exc.error_dict.items()
        }
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def differs(first: object, second: object) -> bool:
    if isinstance(first, str) and isinstance(second, str):
        return normalize_text(first) != normalize_text(second)
    return first != second


def snapshot_data(row: RowPlan) -> dict[str, Any]:
    """The snapshot field values a row gives (blank cells leave stored values alone)."""
    return {name: row.values[name] for name in SNAPSHOT_KEYS if name in row.values}


def card_data(school: SchoolPlan) -> dict[str, Any]:
    """The card field values the rows of a school give."""
    return {name: school.card[name] for name in CARD_FIELDS if name in school.card}
