"""Errors of a file import: one `RowError` per bad cell, `ImportFailed` when anything is wrong."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem found in an imported file, located as the user sees it in Excel.

    `row` is the 1-based sheet row (0 when the problem concerns the whole file), `column` the
    column letter ("" when the problem concerns the whole row or file).
    """

    file: str
    sheet: str
    row: int
    column: str
    header: str
    value: str
    message: str

    @property
    def location(self) -> str:
        """Where the problem is, in Russian: file, sheet, row and column."""
        parts = [f"файл «{self.file}»"]
        if self.sheet:
            parts.append(f"лист «{self.sheet}»")
        if self.row:
            parts.append(f"строка {self.row}")
        if self.column or self.header:
            column = " ".join(part for part in (self.column, f"«{self.header}»") if part)
            parts.append(f"столбец {column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        value = f": значение «{self.value}»" if self.value else ""
        return f"{self.location}{value} — {self.message}"


class ImportFailed(Exception):
    """The file cannot be imported; `errors` says why. Nothing has been written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"Импорт не выполнен: ошибок {len(errors)}")


def short_value(value: object, limit: int = 80) -> str:
    """A cell value as text for an error message, cut to `limit` characters."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = (
            int(value) if value.is_integer() and abs(value) < 1e15 else str(value).replace(".", ",")
        )
    text = str(value).replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
