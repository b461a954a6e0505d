"""Builders of registry files for the import tests: real XLSX (openpyxl) and CSV bytes."""

import csv
import io
from collections.abc import Sequence

import openpyxl

from opora.territory.importers.schools_format import COLUMNS

HEADER = {column.key: column.header for column in COLUMNS}


def xlsx_bytes(rows: Sequence[Sequence[object]], sheet: str = "Школы") -> bytes:
    """An XLSX workbook whose sheet `sheet` holds `rows` from A1."""
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], *, delimiter: str = ";", encoding: str = "utf-8-sig"
) -> bytes:
    """A CSV file of `rows` in `encoding`."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def table(records: Sequence[dict[str, object]]) -> list[list[object]]:
    """Header row (template headers of the keys used) and one row per record."""
    keys: list[str] = []
    for record in records:
        keys.extend(key for key in record if key not in keys)
    return [[HEADER[key] for key in keys]] + [[r.get(key) for key in keys] for r in records]


def school_record(code: str = "n1", year: object = 2024, **values: object) -> dict[str, object]:
    """A valid row of a new school in municipality «Город А» of the test territory."""
    record: dict[str, object] = {
        "code": code,
        "full_name": f"МБОУ «Средняя школа {code}»",
        "short_name": f"СШ {code}",
        "school_type": "СОШ",
        "municipality": "Город А",
        "is_urban": "да",
        "year": year,
        "students_g1": 25,
        "students_g2": 24,
        "ovz_share": "4,5",
        "teachers_total": 20,
        "teachers_over_55": 6,
    }
    record.update(values)
    return record
