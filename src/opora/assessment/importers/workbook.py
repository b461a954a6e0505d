"""Reading forms as people fill them: every sheet of a workbook, label cells above a table,
class names like «5А».

A label cell is «Предмет: Математика» in one cell, or «Предмет» with the value in the next
filled cell to its right.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass

import python_calamine

from opora.core.importing.headers import HeaderIndex, column_letter

_CLASS = re.compile(
    r"^\s*(\d{1,2})\s*[-–—\s]?\s*([А-ЯЁA-Z]?)\s*(?:класс|кл\.?)?\s*$", re.IGNORECASE
)
_NEXT_CELLS = 4  # how far to the right of a label its value may sit


@dataclass(frozen=True)
class Cell:
    """A value found in a sheet, with where it is (1-based row, column letter) and its label."""

    value: str
    sheet: str
    row: int
    letter: str
    label: str


def cell_text(value: object) -> str:
    """A cell as text: whole floats without «.0», dates as дд.мм.гггг, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def read_sheets(data: bytes) -> tuple[list[tuple[str, list[list[str]]]], str]:
    """Every sheet as (name, rows of text cells), or an empty list and the reason."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append((str(name), [[cell_text(v) for v in row] for row in rows]))
    except Exception as exc:  # calamine raises its own types for broken workbooks
        return [], f"Книгу не удалось прочитать: {str(exc)[:200]}"
    return sheets, ""


def label_cells(
    sheet: str, rows: list[list[str]], labels: HeaderIndex, stop: int
) -> tuple[dict[str, Cell], list[Cell]]:
    """Values of known labels in rows `0…stop-1`: key → first value found, and repeats that
    disagree with it."""
    found: dict[str, Cell] = {}
    conflicts: list[Cell] = []
    for number, row in enumerate(rows[:stop]):
        for position, text in enumerate(row):
            if not text:
                continue
            label, _, tail = text.partition(":")
            key = labels.match(label)
            if key is None:
                continue
            value, at = tail.strip(), position
            if not value:
                for offset in range(1, _NEXT_CELLS + 1):
                    if position + offset < len(row) and row[position + offset]:
                        value, at = row[position + offset], position + offset
                        break
            if not value:
                continue
            cell = Cell(value, sheet, number + 1, column_letter(at), label.strip())
            if key not in found:
                found[key] = cell
            elif found[key].value != value:
                conflicts.append(cell)
    return found, conflicts


def parse_class(text: str) -> tuple[int, str] | None:
    """«5А», «5 а», «5-А», «5А класс», «5» → (5, «5А») or (5, «»); None if not a class."""
    match = _CLASS.match(text or "")
    if match is None:
        return None
    grade = int(match.group(1))
    letter = match.group(2).upper()
    return grade, f"{grade}{letter}" if letter else ""


def school_year_of(text: str) -> int | None:
    """The year a school year ends: 2024, 2023/2024, 2023-24 → 2024; a date in September or
    later belongs to the next (дд.мм.гггг)."""
    value = text.strip()
    if match := re.fullmatch(r"(\d{4})", value):
        return int(match.group(1))
    if match := re.fullmatch(r"(\d{4})\s*[-/–]\s*(\d{2}|\d{4})(?:\s*уч\.?\s*г(?:од)?\.?)?", value):
        return int(match.group(1)) + 1
    if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value):
        month, year = int(match.group(2)), int(match.group(3))
        if not 1 <= month <= 12:
            return None
        return year + 1 if month >= 9 else year
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?", value):
        year, month = int(match.group(1)), int(match.group(2))
        return year + 1 if month >= 9 else year
    return None
