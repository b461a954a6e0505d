"""Exports of a program: its roadmap as an official annex (XLSX, DOCX) and its passport (DOCX).

The roadmap has the columns of seed 003 (№ п/п, Наименование мероприятия, Форма проведения, Срок
проведения, Ответственный, Ожидаемые результаты, Отметка о выполнении), activities grouped under
their track rows merged across the table; A4 landscape, Times New Roman 12, borders, bold header.
Each exporter follows the export contract: `render(program) -> (filename, mimetype, bytes)`.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from opora.programs.choices import ActivityStatus
from opora.programs.models import Activity, Program
from opora.programs.selectors import roadmap

ROADMAP_COLUMNS = (
    ("№ п/п", 7),
    ("Наименование мероприятия", 45),
    ("Форма проведения", 20),
    ("Срок проведения", 18),
    ("Ответственный", 25),
    ("Ожидаемые результаты", 35),
    ("Отметка о выполнении", 22),
)
FONT = "Times New Roman"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def completion_mark(activity: Activity) -> str:
    """The «Отметка о выполнении» cell: the status with its date and comment."""
    if activity.status == ActivityStatus.DONE and activity.done_on:
        text = f"Выполнено {activity.done_on:%d.%m.%Y}"
    elif activity.status in (ActivityStatus.NOT_DONE, ActivityStatus.CANCELLED):
        text = activity.get_status_display().capitalize()
    else:
        text = ""
    comment = activity.completion_comment.strip()
    return f"{text}. {comment}" if text and comment else text or comment


def activity_cells(activity: Activity) -> tuple[str, ...]:
    responsible = ", ".join(
        part for part in (activity.responsible_org, activity.responsible_person) if part
    )
    return (
        activity.number,
        activity.name,
        activity.form,
        activity.deadline_text,
        responsible,
        activity.expected_result,
        completion_mark(activity),
    )


def roadmap_title(program: Program) -> str:
    return f"План мероприятий («дорожная карта») программы «{program.name}» на {program.period_label} гг."


def annex_lines(program: Program) -> list[str]:
    return ["Приложение", f"к программе «{program.name}»", program.owner_name]


def roadmap_xlsx(program: Program) -> bytes:
    """The roadmap as an XLSX annex."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Дорожная карта"
    width = len(ROADMAP_COLUMNS)
    last = get_column_letter(width)
    font, bold = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in annex_lines(program):
        sheet.append([""] * (width - 2) + [line])
        row = sheet.max_row
        sheet.merge_cells(f"{get_column_letter(width - 1)}{row}:{last}{row}")
        cell = sheet.cell(row=row, column=width - 1)
        cell.font, cell.alignment = font, Alignment(horizontal="right")
    sheet.append([])
    sheet.append([roadmap_title(program)])
    title_row = sheet.max_row
    sheet.merge_cells(f"A{title_row}:{last}{title_row}")
    title = sheet.cell(row=title_row, column=1)
    title.font, title.alignment = bold, Alignment(horizontal="center", wrap_text=True)
    sheet.row_dimensions[title_row].height = 32
    sheet.append([name for name, _ in ROADMAP_COLUMNS])
    header_row = sheet.max_row
    for column, (_, column_width) in enumerate(ROADMAP_COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=column)
        cell.font, cell.border = bold, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = column_width
    for track in roadmap(program):
        sheet.append([track.name])
        row = sheet.max_row
        sheet.merge_cells(f"A{row}:{last}{row}")
        for column in range(1, width + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.border, cell.alignment = bold, border, wrap
        for activity in track.activities.all():
            sheet.append(list(activity_cells(activity)))
            for column in range(1, width + 1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                cell.font, cell.border, cell.alignment = font, border, wrap
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _document(*, landscape: bool) -> DocxDocument:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    return document


def _bold_cell(cell: object, text: str) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.add_run(text).bold = True


def _save(document: object) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def roadmap_docx(program: Program) -> bytes:
    """The roadmap as a DOCX annex."""
    document = _document(landscape=True)
    for line in annex_lines(program):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(roadmap_title(program)).bold = True
    table = document.add_table(rows=1, cols=len(ROADMAP_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (name, _) in zip(table.rows[0].cells, ROADMAP_COLUMNS, strict=True):
        _bold_cell(cell, name)
    for track in roadmap(program):
        cells = table.add_row().cells
        _bold_cell(cells[0].merge(cells[-1]), track.name)
        for activity in track.activities.all():
            for cell, value in zip(table.add_row().cells, activity_cells(activity), strict=True):
                cell.text = value
    return _save(document)


def passport_rows(program: Program) -> list[tuple[str, str]]:
    """The passport as (label, value) rows in the order of program passports."""
    targets = []
    for number, target in enumerate(program.targets.prefetch_related("values"), start=1):
        parts = [f"{number}. {target}" + (f", {target.unit}" if target.unit else "")]
        if target.baseline_value is not None:
            year = f" ({target.baseline_year})" if target.baseline_year else ""
            parts.append(f"базовое значение{year}: {_number(target.baseline_value)}")
        parts += [
            f"{value.year}: {_number(value.value)}"
            for value in target.values.all()
            if value.value is not None
        ]
        targets.append("; ".join(parts))
    return [
        ("Наименование программы", program.name),
        ("Вид программы", program.get_kind_display()),
        ("Территория", program.owner_name),
        ("Сроки реализации", f"{program.period_label} гг."),
        ("Разработчик программы", program.developer),
        ("Исполнители", program.executors),
        ("Нормативные основания", program.normative_basis),
        ("Цель программы", program.goal),
        ("Задачи программы", program.tasks),
        ("Целевые показатели (индикаторы)", "\n".join(targets)),
        ("Ожидаемые результаты реализации", program.expected_results),
        ("Объём и источники финансирования", program.funding),
    ]


def _number(value: object) -> str:
    text = f"{value:f}".rstrip("0").rstrip(".") if value is not None else ""
    return text.replace(".", ",")


def passport_docx(program: Program) -> bytes:
    """The passport of the program as a two-column DOCX table."""
    document = _document(landscape=False)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("Паспорт программы").bold = True
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in passport_rows(program):
        cells = table.add_row().cells
        _bold_cell(cells[0], label)
        cells[1].text = value
    return _save(document)


@dataclass(frozen=True)
class ProgramExporter:
    """An export of one program: identifier, Russian name, file suffix and the renderer."""

    identifier: str
    name: str
    suffix: str
    mimetype: str
    build: Callable[[Program], bytes]

    def render(self, program: Program) -> tuple[str, str, bytes]:
        filename = f"{self.identifier}-{program.pk}.{self.suffix}"
        return filename, self.mimetype, self.build(program)


EXPORTERS: dict[str, ProgramExporter] = {
    exporter.identifier: exporter
    for exporter in (
        ProgramExporter("roadmap-xlsx", "Дорожная карта (XLSX)", "xlsx", XLSX_MIME, roadmap_xlsx),
        ProgramExporter("roadmap-docx", "Дорожная карта (DOCX)", "docx", DOCX_MIME, roadmap_docx),
        ProgramExporter(
            "passport-docx", "Паспорт программы (DOCX)", "docx", DOCX_MIME, passport_docx
        ),
    )
}
