"""What every result importer returns, the reference data it checks against, and error helpers."""

from dataclasses import dataclass, field
from typing import Protocol

import polars as pl

from opora.core.importing.errors import RowError, short_value

# Columns of a parsed, valid frame, in the order the writer stores them.
RESULT_COLUMNS: dict[str, pl.DataType] = {
    "student_key": pl.String(),
    "school_id": pl.Int64(),
    "grade": pl.Int16(),
    "class_label": pl.String(),
    "procedure_id": pl.String(),
    "subject_id": pl.String(),
    "year": pl.Int16(),
    "period": pl.String(),
    "primary_score": pl.Int16(),
    "mark": pl.Int16(),
    "test_score": pl.Int16(),
    "passed": pl.Boolean(),
    "task_scores": pl.String(),  # a JSON list as text, e.g. "[1,0,null,2]"
    "journal_mark_term": pl.Int16(),
    "journal_mark_year": pl.Int16(),
    "medal": pl.String(),  # "", "gold" or "silver"
    "controlled": pl.Boolean(),
}
ERROR_LIMIT = 200


@dataclass
class ReferenceContext:
    """What an importer checks values against: schools, procedures, subjects, reference values."""

    school_ids: dict[str, int]
    procedure_kinds: dict[str, str]
    procedure_grades: dict[str, list[int]]
    procedure_names: dict[str, str]  # normalised code, name or alias → procedure code
    subject_names: dict[str, str]  # normalised code, name or alias → subject code
    values: pl.DataFrame  # year, procedure_id, subject_id, max_primary_score, scale_3/4/5
    min_year: int
    max_year: int
    # ФИС ОКО login → school id; filled by `parse_results` (the ВПР form may name a school so).
    school_logins: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportOptions:
    """What the user says about a file that the file itself may not: procedure, year."""

    procedure: str = ""  # a procedure name or code, e.g. «ЕГЭ» or `oge`
    year: int | None = None


@dataclass
class ParsedResults:
    """A parsed file: the valid rows (when `errors` is empty) and what was found on the way."""

    file_name: str
    sha256: str
    format: str
    frame: pl.DataFrame
    rows_read: int
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # Where a field's column differs from sheet to sheet (the ВПР form): sheet → field → letter.
    sheet_letters: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped_rows: int = 0  # rows read but not loaded by rule (e.g. absent participants)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[dict[str, object]]:
        """Rows per (procedure, subject, year, period), sorted: the batch's composition."""
        if self.frame.is_empty():
            return []
        grouped = (
            self.frame.group_by("procedure_id", "subject_id", "year", "period")
            .len()
            .sort("procedure_id", "subject_id", "year", "period")
        )
        return [
            {
                "procedure": row["procedure_id"],
                "subject": row["subject_id"],
                "year": row["year"],
                "period": row["period"],
                "rows": row["len"],
            }
            for row in grouped.iter_rows(named=True)
        ]


class ResultFormat(Protocol):
    """A registered import format: an identifier, a Russian name, a description, a parser."""

    code: str
    name: str
    description: str

    def parse(
        self, data: bytes, file_name: str, context: ReferenceContext, options: ImportOptions
    ) -> ParsedResults:
        """Read and check every row; never raise on bad input."""
        ...


@dataclass
class ErrorCollector:
    """Collects `RowError`s from boolean masks over a frame with `__sheet` and `__row` columns."""

    file_name: str
    letters: dict[str, str]  # field → column letter in the file
    headers: dict[str, str]  # field → header as written in the file
    errors: list[RowError] = field(default_factory=list)
    count: int = 0
    sheet_letters: dict[str, dict[str, str]] = field(default_factory=dict)
    sheet_headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def for_parsed(cls, parsed: "ParsedResults") -> "ErrorCollector":
        """A collector that locates columns as `parsed` records them."""
        return cls(
            parsed.file_name,
            parsed.letters,
            parsed.headers,
            sheet_letters=parsed.sheet_letters,
            sheet_headers=parsed.sheet_headers,
        )

    def cell_error(
        self, sheet: str, row: int, letter: str, header: str, value: object, message: str
    ) -> None:
        """A problem of one cell outside the table (e.g. «Предмет: …» above it)."""
        self.count += 1
        if len(self.errors) < ERROR_LIMIT:
            self.errors.append(
                RowError(self.file_name, sheet, row, letter, header, short_value(value), message)
            )

    def _where(self, sheet: str, column: str) -> tuple[str, str]:
        letters = self.sheet_letters.get(sheet, self.letters)
        headers = self.sheet_headers.get(sheet, self.headers)
        return letters.get(column, ""), headers.get(column, "")

    def file_error(self, message: str, sheet: str = "") -> None:
        """A problem of the whole file or sheet."""
        self.count += 1
        if len(self.errors) < ERROR_LIMIT:
            self.errors.append(RowError(self.file_name, sheet, 0, "", "", "", message))

    def check(
        self,
        frame: pl.DataFrame,
        bad: pl.Expr,
        column: str,
        message: str = "",
        *,
        message_column: str = "",
        letter_column: str = "",
        header_column: str = "",
    ) -> None:
        """Record an error for each row where `bad` is true; the value shown is `column`'s.

        The message is `message`, or the text of each row's `message_column`; the column is
        located by `column` (per sheet where known), or by each row's `letter_column` and
        `header_column`.
        """
        mask = frame.select(bad.fill_null(False)).to_series()
        if not mask.any():
            return
        # A literal mask comes back with one value (filtering by a literal fails on big frames).
        hits = frame if mask.len() != frame.height else frame.filter(mask)
        self.count += hits.height
        room = ERROR_LIMIT - len(self.errors)
        if room <= 0:
            return
        value_column = column if column in hits.columns else None
        for row in hits.head(room).iter_rows(named=True):
            value = row[value_column] if value_column else ""
            letter, header = self._where(row["__sheet"], column)
            if letter_column:
                letter, header = row[letter_column], row[header_column]
            self.errors.append(
                RowError(
                    self.file_name,
                    row["__sheet"],
                    row["__row"],
                    letter,
                    header,
                    short_value(value),
                    row[message_column] if message_column else message,
                )
            )

    def sorted(self) -> list[RowError]:
        """Errors in file order: sheet, row, column."""
        return sorted(self.errors, key=lambda e: (e.sheet, e.row, len(e.column), e.column))
