"""Fixtures of the assessment tests: the shipped reference data and small result files."""

import csv
import io
from collections.abc import Sequence

import pytest

from opora.assessment.services import reference_load
from opora.core.models import AuditEntry

HEADER = [
    "Код школы",
    "Процедура",
    "Предмет",
    "Год",
    "Период",
    "Параллель",
    "Класс",
    "Код участника",
    "Первичный балл",
    "Отметка",
    "Тестовый балл",
    "Зачёт",
    "Баллы по заданиям",
    "Отметка за четверть",
    "Годовая отметка",
]


def csv_bytes(
    rows: Sequence[Sequence[object]],
    header: Sequence[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    """A CSV file as a school would save it from Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def reference(db: None) -> None:
    """Procedures, subjects and reference values of the shipped reference file."""
    reference_load(actor=None, source=AuditEntry.Source.CLI)


@pytest.fixture
def results_setup(territory, reference):  # type: ignore[no-untyped-def]
    """The personas territory plus the reference data."""
    return territory
