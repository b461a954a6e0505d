"""Finding the header row of a table and the column of each known field."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from opora.core.importing.columns import Column
from opora.core.importing.errors import RowError, short_value
from opora.core.importing.headers import HeaderIndex, column_letter
from opora.core.importing.readers import Table, is_blank_row


@dataclass
class MappedTable:
    """A table whose columns are known: `positions[key]` is the 0-based column of `key`."""

    table: Table
    columns: dict[str, Column]
    header_row: int
    positions: dict[str, int]
    ignored: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[object]]]:
        """(sheet row number, cells) of every non-empty row below the header."""
        for index in range(self.header_row, len(self.table.rows)):
            cells = self.table.rows[index]
            if not is_blank_row(cells):
                yield index + 1, cells

    def raw(self, cells: Sequence[object], key: str) -> object:
        """The raw cell of column `key` in a row (None when the column is absent)."""
        position = self.positions.get(key)
        if position is None or position >= len(cells):
            return None
        return cells[position]

    def error(self, row: int, key: str | None, value: object, message: str) -> RowError:
        """A `RowError` at `row` in the column of `key` (or the whole row when key is None)."""
        letter, header = "", ""
        if key is not None:
            position = self.positions.get(key)
            letter = column_letter(position) if position is not None else ""
            column = self.columns.get(key)
            header = column.header if column else key
            if position is not None and self.header_row:
                actual = self.table.rows[self.header_row - 1][position]
                header = str(actual).strip() or header
        return RowError(
            self.table.file, self.table.sheet, row, letter, header, short_value(value), message
        )


def map_columns(
    table: Table, columns: Sequence[Column]
) -> tuple[MappedTable | None, list[RowError]]:
    """Match the header row of `table` against `columns`.

    The header row is the first non-empty row. Unknown headers are listed in `ignored`; a
    missing required column or a column given twice is an error.
    """
    by_key = {column.key: column for column in columns}
    header_index = next((i for i, row in enumerate(table.rows) if not is_blank_row(row)), None)
    if header_index is None:
        return None, [table.error("В таблице нет ни строки заголовков, ни данных.")]
    index = HeaderIndex((column.key, column.headers) for column in columns)
    positions: dict[str, int] = {}
    ignored: list[str] = []
    errors: list[RowError] = []
    header_cells = table.rows[header_index]
    for position, cell in enumerate(header_cells):
        text = short_value(cell)
        if not text:
            continue
        key = index.match(text)
        if key is None:
            ignored.append(text)
        elif key in positions:
            errors.append(
                table.error(
                    f"столбец «{by_key[key].header}» встречается дважды: в столбцах "
                    f"{column_letter(positions[key])} и {column_letter(position)}",
                    row=header_index + 1,
                    column=column_letter(position),
                    header=text,
                    value=text,
                )
            )
        else:
            positions[key] = position
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(
                table.error(
                    f"нет обязательного столбца «{column.header}» в строке заголовков",
                    row=header_index + 1,
                    header=column.header,
                )
            )
    mapped = MappedTable(table, by_key, header_index + 1, positions, ignored)
    return (None if errors else mapped), errors
