"""Reading the sheets of an XLSX file into table rows, merged cells resolved (openpyxl)."""

import io

from openpyxl import load_workbook

from opora.programs.importers.preview import Item, Row


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def read_xlsx(data: bytes) -> list[Item]:
    """Every non-empty sheet as one table; a merged range keeps its text in its first column and
    passes it down to the rows below (marked as inherited)."""
    workbook = load_workbook(io.BytesIO(data), data_only=True)
    items: list[Item] = []
    for table_number, sheet in enumerate(workbook.worksheets):
        width = sheet.max_column
        grid = [
            [_text(cell.value) for cell in row]
            for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=width)
        ]
        merged_all: set[int] = set()
        inherited: dict[int, set[int]] = {}
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            if merged.min_col == 1 and merged.max_col >= width and merged.min_row == merged.max_row:
                merged_all.add(top)
            for row_index in range(top + 1, merged.max_row):
                grid[row_index][left] = grid[top][left]
                inherited.setdefault(row_index, set()).add(left)
        for index, cells in enumerate(grid):
            items.append(
                Row(
                    table=table_number,
                    index=index,
                    cells=tuple(cells),
                    where=f"лист «{sheet.title}», строка {index + 1}",
                    merged_all=index in merged_all,
                    inherited=frozenset(inherited.get(index, ())),
                )
            )
    return items
