"""XLSX templates of import formats and the registry of template kinds (`opora template KIND`).

An app registers its kinds in its `importers` module; `template_kinds()` discovers them the way
the Django admin discovers `admin` modules.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import xlsxwriter
from django.utils.module_loading import autodiscover_modules

from opora.core.importing.columns import Column, Kind

INSTRUCTION_SHEET = "Инструкция"
EXAMPLE_SHEET = "Пример"


@dataclass(frozen=True)
class TemplateKind:
    """A downloadable template: an identifier, a Russian name and a builder of XLSX bytes."""

    key: str
    name: str
    description: str
    filename: str
    build: Callable[[], bytes]


_KINDS: dict[str, TemplateKind] = {}


def register_template(kind: TemplateKind) -> TemplateKind:
    """Add `kind` to the registry (idempotent for the same key)."""
    _KINDS[kind.key] = kind
    return kind


def template_kinds() -> dict[str, TemplateKind]:
    """Every registered template kind, after importing each app's `importers` module."""
    autodiscover_modules("importers")
    return dict(sorted(_KINDS.items()))


def _cell(value: str, column: Column) -> object:
    """The example as the type the column expects, so Excel shows a number as a number."""
    if column.kind in (Kind.INTEGER, Kind.YEAR) and value.isdigit():
        return int(value)
    if column.kind == Kind.DECIMAL:
        try:
            return float(value.replace(",", "."))
        except ValueError:
            return value
    return value


def build_template(
    *,
    columns: Sequence[Column],
    data_sheet: str,
    title: str,
    intro: Sequence[str],
    example: dict[str, str],
) -> bytes:
    """An XLSX workbook: the empty data sheet, the instructions and a filled example row."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7", "border": 1}
    )
    required_head = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FCE4D6", "border": 1}
    )
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True, "font_size": 13})

    for sheet_name, with_example in ((data_sheet, False), (EXAMPLE_SHEET, True)):
        sheet = book.add_worksheet(sheet_name)
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 60)
        for index, column in enumerate(columns):
            sheet.set_column(index, index, max(12, min(40, len(column.header) // 2 + 6)))
            sheet.write_string(0, index, column.header, required_head if column.required else head)
            if column.kind == Kind.CHOICE and not with_example:
                sheet.data_validation(
                    1,
                    index,
                    5000,
                    index,
                    {
                        "validate": "list",
                        "source": [label for _, label in column.choices][:50],
                        "error_type": "warning",
                    },
                )
            if with_example and example.get(column.key, "") != "":
                sheet.write(1, index, _cell(example[column.key], column))

    info = book.add_worksheet(INSTRUCTION_SHEET)
    info.set_column(0, 0, 38)
    info.set_column(1, 1, 60)
    info.set_column(2, 5, 28)
    info.write(0, 0, title, bold)
    for offset, line in enumerate(intro, start=1):
        info.write(offset, 0, line)
    top = len(intro) + 2
    titles = ["Столбец", "Что означает", "Тип", "Допустимые значения", "Обязательность", "Пример"]
    for index, text in enumerate(titles):
        info.write(top, index, text, head)
    for offset, column in enumerate(columns, start=top + 1):
        need = "обязательный столбец" if column.required else "необязательный"
        if column.note:
            need = f"{need}; {column.note}"
        for index, text in enumerate(
            [
                column.header,
                column.description,
                column.type_name,
                column.allowed,
                need,
                example.get(column.key, ""),
            ]
        ):
            info.write_string(offset, index, text, wrap)
    book.get_worksheet_by_name(data_sheet).activate()
    book.close()
    return buffer.getvalue()
