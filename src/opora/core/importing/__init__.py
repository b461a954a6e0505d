"""Generic machinery of file imports: readers, tolerant headers, typed columns, errors, templates.

Knows nothing of domain apps; each importer (the school registry, assessment results, …) builds
on it.
"""

from opora.core.importing.columns import CellError, Column, Kind, is_blank
from opora.core.importing.errors import ImportFailed, RowError
from opora.core.importing.headers import HeaderIndex, column_letter, header_keys, normalize_text
from opora.core.importing.mapping import MappedTable, map_columns
from opora.core.importing.readers import Table, is_blank_row, read_table
from opora.core.importing.templates import (
    TemplateKind,
    build_template,
    register_template,
    template_kinds,
)

__all__ = [
    "CellError",
    "Column",
    "HeaderIndex",
    "ImportFailed",
    "Kind",
    "MappedTable",
    "RowError",
    "Table",
    "TemplateKind",
    "build_template",
    "column_letter",
    "header_keys",
    "is_blank",
    "is_blank_row",
    "map_columns",
    "normalize_text",
    "read_table",
    "register_template",
    "template_kinds",
]
