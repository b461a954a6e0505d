"""Reading an uploaded table: XLSX/XLS/ODS through python-calamine, CSV in UTF-8 or cp1251.

Readers never raise on bad input: they return a `Table` or a list of `RowError`s.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import python_calamine

from opora.core.importing.errors import RowError

Cell = object
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
MAX_ROWS = 200_000


@dataclass
class Table:
    """The cells of one sheet; `rows[i]` is sheet row `i + 1`, `rows[i][j]` column `j`."""

    file: str
    sheet: str
    rows: list[list[Cell]] = field(default_factory=list)

    def error(
        self, message: str, *, row: int = 0, column: str = "", header: str = "", value: str = ""
    ) -> RowError:
        """A `RowError` located in this table."""
        return RowError(self.file, self.sheet, row, column, header, value, message)


def _is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def is_blank_row(row: Sequence[Cell]) -> bool:
    """Whether every cell of `row` is empty."""
    return all(_is_blank(cell) for cell in row)


def read_table(
    data: bytes,
    filename: str,
    *,
    preferred_sheets: Sequence[str] = (),
    skip_sheets: Sequence[str] = (),
) -> tuple[Table | None, list[RowError]]:
    """Read the data sheet of an XLSX/XLS/ODS workbook or a CSV file.

    The sheet is the first of `preferred_sheets` present, else the first visible sheet whose
    name is not in `skip_sheets`.
    """
    name = PurePath(filename or "файл").name
    if not data or not data.strip():
        return None, [RowError(name, "", 0, "", "", "", "Файл пуст.")]
    suffix = PurePath(name).suffix.lower()
    if data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0":
        return _read_workbook(data, name, preferred_sheets, skip_sheets)
    if suffix in SPREADSHEET_SUFFIXES:
        return None, [
            RowError(
                name,
                "",
                0,
                "",
                "",
                "",
                "Файл не удалось прочитать как таблицу Excel: он повреждён или имеет другой формат."
                " Сохраните его в формате XLSX или CSV.",
            )
        ]
    return _read_csv(data, name)


def _read_workbook(
    data: bytes, name: str, preferred: Sequence[str], skip: Sequence[str]
) -> tuple[Table | None, list[RowError]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            meta.name
            for meta in workbook.sheets_metadata
            if meta.visible == python_calamine.SheetVisibleEnum.Visible
        ]
        folded = {sheet.casefold().strip(): sheet for sheet in visible}
        chosen = next(
            (folded[p.casefold()] for p in preferred if p.casefold() in folded), None
        ) or next(
            (s for s in visible if s.casefold().strip() not in {k.casefold() for k in skip}), None
        )
        if chosen is None:
            return None, [RowError(name, "", 0, "", "", "", "В книге нет листа с данными.")]
        rows = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several error types on broken files
        return None, [
            RowError(
                name,
                "",
                0,
                "",
                "",
                "",
                f"Файл не удалось прочитать как таблицу Excel ({type(exc).__name__}): "
                "он повреждён или имеет другой формат.",
            )
        ]
    if len(rows) > MAX_ROWS:
        return None, [
            RowError(
                name,
                chosen,
                0,
                "",
                "",
                "",
                f"Слишком много строк: {len(rows)}, допускается до {MAX_ROWS}.",
            )
        ]
    return Table(name, chosen, [list(row) for row in rows]), []


def _decode(data: bytes) -> str | None:
    encodings = ["utf-8-sig"] if data.startswith(b"\xef\xbb\xbf") else ["utf-8", "cp1251"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def sniff_delimiter(text: str) -> str:
    """`;`, `,` or tab: whichever occurs most in the first non-empty line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes, name: str) -> tuple[Table | None, list[RowError]]:
    text = _decode(data)
    if text is None or "\x00" in text:
        return None, [
            RowError(
                name,
                "",
                0,
                "",
                "",
                "",
                "Файл не похож на таблицу CSV: не удалось определить кодировку (ожидалась "
                "UTF-8 или Windows-1251). Сохраните таблицу в формате XLSX или CSV.",
            )
        ]
    try:
        rows: list[list[Cell]] = [
            list(row) for row in csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text))
        ]
    except csv.Error as exc:
        return None, [RowError(name, "", 0, "", "", "", f"Ошибка разбора CSV: {exc}.")]
    if len(rows) > MAX_ROWS:
        return None, [
            RowError(
                name,
                "",
                0,
                "",
                "",
                "",
                f"Слишком много строк: {len(rows)}, допускается до {MAX_ROWS}.",
            )
        ]
    # Excel names the only sheet of a CSV file after the file; so do we.
    return Table(name, PurePath(name).stem, rows), []
