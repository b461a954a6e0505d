"""Reading a DOCX file into paragraphs and table rows in document order (python-docx)."""

import io
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph as DocxParagraph

from opora.programs.importers.preview import Item, Paragraph, Row


def _paragraph(element: Any, parent: Any) -> Paragraph:
    paragraph = DocxParagraph(element, parent)
    bold = " ".join(run.text for run in paragraph.runs if run.bold and run.text.strip())
    return Paragraph(text=paragraph.text, bold=bold)


def _rows(table: Table, table_number: int) -> list[Row]:
    rows: list[Row] = []
    above: list[Any] = []
    for index, docx_row in enumerate(table.rows):
        cells = list(docx_row.cells)
        elements = [cell._tc for cell in cells]
        texts: list[str] = []
        for position, cell in enumerate(cells):
            # A cell merged horizontally appears once per grid column: keep its text once.
            repeated = position > 0 and elements[position] is elements[position - 1]
            texts.append("" if repeated else cell.text)
        inherited = frozenset(
            i for i, element in enumerate(elements) if i < len(above) and element is above[i]
        )
        rows.append(
            Row(
                table=table_number,
                index=index,
                cells=tuple(texts),
                where=f"таблица {table_number + 1}, строка {index + 1}",
                merged_all=len(cells) > 1 and all(e is elements[0] for e in elements),
                inherited=inherited,
            )
        )
        above = elements
    return rows


def read_docx(data: bytes) -> list[Item]:
    """Paragraphs and table rows of a DOCX document, in the order they appear."""
    document = Document(io.BytesIO(data))
    body = document.element.body
    items: list[Item] = []
    table_number = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(_paragraph(child, document))
        elif child.tag == qn("w:tbl"):
            items.extend(_rows(Table(child, document), table_number))
            table_number += 1
    return items
