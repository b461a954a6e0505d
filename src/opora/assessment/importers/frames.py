"""Reading a CSV or XLSX result file into a Polars frame of text columns named by field.

Headers are matched tolerantly (`HeaderIndex`); columns with personal data are dropped here,
before any value is looked at; unknown columns are ignored. Every cell stays text (trimmed,
empty → null) so that the validators can report the value exactly as the file holds it.
"""

import csv
import datetime as dt
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

import polars as pl
import python_calamine

from opora.assessment.pseudonym import is_personal_header
from opora.core.importing.headers import HeaderIndex, column_letter

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
HEADER_SCAN_ROWS = 10


@dataclass
class FrameRead:
    """The text frame of a file with its header bookkeeping, or `problems` when unreadable."""

    frame: pl.DataFrame = field(default_factory=pl.DataFrame)
    sheet: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    letters: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (sheet, message)
    preamble: list[list[str]] = field(default_factory=list)  # rows above the header, as text


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _map_headers(
    raw: list[object], index: HeaderIndex, result: FrameRead, keep: frozenset[str] = frozenset()
) -> dict[int, str]:
    """Column position → field; fills headers, letters, dropped and ignored of `result`.

    A column with personal data is dropped unless it maps to a field in `keep` (a document
    number the importer hashes into the student key); it is listed in `dropped` either way.
    """
    positions: dict[int, str] = {}
    for position, header in enumerate(raw):
        text = str(header).strip() if header is not None else ""
        if not text:
            continue
        key = index.match(text)
        if is_personal_header(text):
            result.dropped.append(text)
            if key not in keep:
                continue
        if key is None:
            result.ignored.append(text)
        elif key in result.headers:
            result.problems.append(
                (
                    result.sheet,
                    f"Столбец «{text}» ({column_letter(position)}) повторяет столбец "
                    f"«{result.headers[key]}» ({result.letters[key]}).",
                )
            )
        else:
            positions[position] = key
            result.headers[key] = text
            result.letters[key] = column_letter(position)
    return positions


def _finish(
    columns: dict[str, pl.Series], first_row: int, result: FrameRead, tidy: bool = True
) -> FrameRead:
    frame = pl.DataFrame(columns) if columns else pl.DataFrame()
    if frame.width:
        frame = frame.with_columns(
            (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).alias("__row"),
            pl.lit(result.sheet).alias("__sheet"),
        )
        if tidy:
            frame = tidy_cells(frame, list(columns))
    result.frame = frame
    return result


def tidy_cells(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Cells of the columns `names` trimmed (blank → null), rows with none of them dropped; done
    by `read_frame` unless told not to (the streaming import does it slice by slice)."""
    # Only columns with a blank or space-padded cell are trimmed (most have none).
    padded = frame.select(pl.col(name).str.contains(r"^\s|\s$|^$").any() for name in names).row(
        0, named=True
    )
    frame = frame.with_columns(
        pl.when(pl.col(name).str.strip_chars() == "")
        .then(None)
        .otherwise(pl.col(name).str.strip_chars())
        .alias(name)
        for name, needed in padded.items()
        if needed
    )
    return frame.filter(~pl.all_horizontal(pl.col(name).is_null() for name in names))


def _header_row(rows: Sequence[Sequence[object]], index: HeaderIndex) -> int:
    """The first of the first rows naming three known columns, else the first row."""
    for number, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if sum(1 for cell in row if cell not in (None, "") and index.match(cell)) >= 3:
            return number
    return 0


def _sniff(head: str) -> str:
    """`;`, `,` or tab: the most frequent in the fullest of the first lines (a title row above
    the header may hold no separator at all)."""
    lines = head.splitlines()[:HEADER_SCAN_ROWS]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decode(data: bytes) -> bytes | None:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:  # Polars validates UTF-8 twice as fast as `bytes.decode` and builds no str
        pl.Series([data], dtype=pl.Binary).cast(pl.String, strict=True)
        return data
    except pl.exceptions.PolarsError:
        try:
            return data.decode("cp1251").encode("utf-8")
        except UnicodeDecodeError:
            return None


def read_csv_frame(
    data: bytes, index: HeaderIndex, keep: frozenset[str] = frozenset(), tidy: bool = True
) -> FrameRead:
    """A CSV file in UTF-8 or Windows-1251 with `;`, `,` or tab between values."""
    result = FrameRead()
    text = _decode(data)
    if text is None or b"\x00" in text:
        result.problems.append(("", "Файл не похож на таблицу CSV (ожидалась UTF-8 или cp1251)."))
        return result
    head = text[:65536].decode("utf-8", errors="ignore")
    separator = _sniff(head)
    try:
        lines = list(itertools.islice(csv.reader(io.StringIO(head), delimiter=separator), 10))
    except csv.Error:
        lines = []
    header_at = _header_row(lines, index)
    raw = lines[header_at] if lines else []
    result.preamble = [[cell.strip() for cell in line] for line in lines[:header_at]]
    positions = _map_headers(list(raw), index, result, keep)
    if not positions:
        return result
    try:
        frame = pl.read_csv(
            io.BytesIO(text),
            separator=separator,
            has_header=False,
            skip_rows=header_at + 1,
            infer_schema=False,
            new_columns=[f"c{i}" for i in range(len(raw))],
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except Exception as exc:  # polars reports malformed CSV in many exception types
        result.problems.append(("", f"Файл не удалось прочитать как CSV: {str(exc)[:200]}"))
        return result
    columns = {
        key: frame.get_column(f"c{pos}").cast(pl.String).alias(key)
        for pos, key in positions.items()
        if f"c{pos}" in frame.columns
    }
    for key in set(positions.values()) - set(columns):
        columns[key] = pl.Series(key, [None] * frame.height, dtype=pl.String)
    return _finish(columns, header_at + 2, result, tidy)


def _pick_sheet(book: python_calamine.CalamineWorkbook, preferred: str) -> str | None:
    names = list(book.sheet_names)
    if preferred in names:
        return preferred
    return names[0] if names else None


def read_xlsx_frame(
    data: bytes,
    index: HeaderIndex,
    preferred_sheet: str,
    keep: frozenset[str] = frozenset(),
    tidy: bool = True,
) -> FrameRead:
    """A workbook: the sheet `preferred_sheet` if present, else the first; header in rows 1–10."""
    result = FrameRead()
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = _pick_sheet(book, preferred_sheet)
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False) if name else []
    except Exception as exc:  # calamine raises its own types for broken workbooks
        result.problems.append(("", f"Книгу не удалось прочитать: {str(exc)[:200]}"))
        return result
    result.sheet = name or ""
    header_at = _header_row(rows, index)
    if not rows:
        return result
    result.preamble = [[_cell_text(cell) or "" for cell in row] for row in rows[:header_at]]
    positions = _map_headers(list(rows[header_at]), index, result, keep)
    body = rows[header_at + 1 :]
    columns = {
        key: pl.Series(
            key, [_cell_text(row[pos]) if pos < len(row) else None for row in body], pl.String
        )
        for pos, key in positions.items()
    }
    return _finish(columns, header_at + 2, result, tidy)


def read_frame(
    data: bytes,
    file_name: str,
    index: HeaderIndex,
    preferred_sheet: str,
    keep: frozenset[str] = frozenset(),
    *,
    tidy: bool = True,
) -> FrameRead:
    """Read `data` by the suffix of `file_name`: a workbook or CSV (see `_map_headers`); with
    `tidy` false the cells are left as read and blank rows kept (see `tidy_cells`)."""
    if PurePath(file_name).suffix.lower() in SPREADSHEET_SUFFIXES:
        return read_xlsx_frame(data, index, preferred_sheet, keep, tidy)
    return read_csv_frame(data, index, keep, tidy)
