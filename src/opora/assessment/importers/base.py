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

    def parse(self, data: bytes, file_name: str, context: ReferenceContext) -> ParsedResults:
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
    ) -> None:
        """Record an error for each row where `bad` is true; the value shown is `column`'s.

        The message is `message`, or the text of each row's `message_column`.
        """
        hits = frame.filter(bad.fill_null(False))
        if hits.is_empty():
            return
        self.count += hits.height
        room = ERROR_LIMIT - len(self.errors)
        if room <= 0:
            return
        value_column = column if column in hits.columns else None
        for row in hits.head(room).iter_rows(named=True):
            value = row[value_column] if value_column else ""
            self.errors.append(
                RowError(
                    self.file_name,
                    row["__sheet"],
                    row["__row"],
                    self.letters.get(column, ""),
                    self.headers.get(column, ""),
                    short_value(value),
                    row[message_column] if message_column else message,
                )
            )

    def sorted(self) -> list[RowError]:
        """Errors in file order: sheet, row, column."""
        return sorted(self.errors, key=lambda e: (e.sheet, e.row, len(e.column), e.column))
