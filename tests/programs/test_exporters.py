"""Exports: the roadmap as an XLSX and a DOCX annex in the shape of seed 003, the passport."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook

from opora.core.models import AuditEntry
from opora.programs.exporters import EXPORTERS, passport_docx, roadmap_docx, roadmap_xlsx
from opora.programs.models import Program, Track
from opora.programs.services import activity_create, activity_mark_done, track_create
from opora.programs.targets import target_create

CLI = AuditEntry.Source.CLI
HEADER = [
    "№ п/п",
    "Наименование мероприятия",
    "Форма проведения",
    "Срок проведения",
    "Ответственный",
    "Ожидаемые результаты",
    "Отметка о выполнении",
]


@pytest.fixture
def filled(program: Program, track: Track) -> Program:
    first = activity_create(
        actor=None,
        track=track,
        data={
            "number": "1",
            "name": "Анализ результатов ГИА выпускников, награжденных медалью",
            "form": "анализ",
            "deadline_text": "сентябрь",
            "responsible_org": "Отдел общего образования",
            "expected_result": "выявление рисков получения необъективных результатов",
        },
        source=CLI,
    )
    activity_mark_done(
        actor=None,
        activity_id=first.pk,
        expected_version=1,
        done_on=dt.date(2023, 9, 25),
        comment="справка",
        source=CLI,
    )
    second = track_create(
        actor=None, program=program, name="Профилактика учебной неуспешности", source=CLI
    )
    activity_create(
        actor=None,
        track=second,
        data={
            "number": "1",
            "name": "Открытие классов для обучающихся с ОВЗ",
            "form": "приказ УО",
            "deadline_text": "сентябрь",
            "responsible_org": "отдел общего образования",
        },
        source=CLI,
    )
    target_create(
        actor=None,
        program=program,
        name="Доля выпускников, не получивших аттестат",
        unit="%",
        baseline_year=2023,
        baseline_value=Decimal("4.5"),
        values={2024: Decimal("3"), 2025: Decimal("2.5")},
        source=CLI,
    )
    return program


def test_roadmap_xlsx_is_an_annex_grouped_by_track(filled: Program) -> None:
    sheet = load_workbook(io.BytesIO(roadmap_xlsx(filled))).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][5] == "Приложение"
    assert values[4][0].startswith("План мероприятий («дорожная карта») программы «План")
    assert list(values[5]) == HEADER
    assert values[6][0] == "Объективность оценки качества подготовки обучающихся"
    assert list(values[7]) == [
        "1",
        "Анализ результатов ГИА выпускников, награжденных медалью",
        "анализ",
        "сентябрь",
        "Отдел общего образования",
        "выявление рисков получения необъективных результатов",
        "Выполнено 25.09.2023. справка",
    ]
    assert values[8][0] == "Профилактика учебной неуспешности"
    assert values[9][1] == "Открытие классов для обучающихся с ОВЗ"
    assert "A7:G7" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["B6"].font.bold and sheet["B6"].font.name == "Times New Roman"
    assert sheet["B8"].font.size == 12 and sheet["B8"].border.left.style == "thin"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4


def test_roadmap_docx_is_a_landscape_annex_with_merged_track_rows(filled: Program) -> None:
    document = Document(io.BytesIO(roadmap_docx(filled)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Приложение"
    assert texts[3].startswith("План мероприятий («дорожная карта»)")
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADER
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    track_row = table.rows[1].cells
    assert track_row[0].text == "Объективность оценки качества подготовки обучающихся"
    assert all(cell._tc is track_row[0]._tc for cell in track_row)
    assert [c.text for c in table.rows[2].cells][6] == "Выполнено 25.09.2023. справка"
    assert table.rows[3].cells[0].text == "Профилактика учебной неуспешности"
    assert len(table.rows) == 5
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 12


def test_passport_docx_lists_passport_fields_and_targets(filled: Program) -> None:
    document = Document(io.BytesIO(passport_docx(filled)))
    assert document.paragraphs[0].text == "Паспорт программы"
    rows = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert rows["Наименование программы"].startswith("План мероприятий")
    assert rows["Вид программы"] == "муниципальная программа"
    assert rows["Территория"] == "Город А"
    assert rows["Сроки реализации"] == "2023–2024 гг."
    assert rows["Цель программы"] == "Повысить качество образования"
    assert rows["Целевые показатели (индикаторы)"] == (
        "1. Доля выпускников, не получивших аттестат, %; базовое значение (2023): 4,5; "
        "2024: 3; 2025: 2,5"
    )


def test_every_exporter_renders_a_named_file(filled: Program) -> None:
    for identifier, exporter in EXPORTERS.items():
        filename, mimetype, content = exporter.render(filled)
        assert filename == f"{identifier}-{filled.pk}.{exporter.suffix}"
        assert content[:2] == b"PK" and "openxmlformats" in mimetype
        assert exporter.name
