"""Roadmap import: DOCX and XLSX fixtures built from the text of seeds 003 and 000."""

import datetime as dt

from opora.programs.deadlines import Deadline, Kind
from opora.programs.importers import read_roadmap
from tests.programs import files

D = dt.date


def test_docx_003_tracks_come_from_headings_and_section_rows() -> None:
    preview = read_roadmap("roadmap.docx", files.docx_003(), school_year=2023)
    assert [(t.name, [a.number for a in t.activities]) for t in preview.tracks] == [
        ("Объективность оценки качества подготовки обучающихся", ["1", "2", "3", "9", "12"]),
        ("Профилактика деструктивного поведения обучающихся", ["1", "3"]),
        (
            "Создание условий для осознанного выбора дальнейшей траектории обучения выпускниками "
            "уровня основного общего образования",
            ["14", "", "15"],
        ),
    ]


def test_docx_003_fields_and_deadlines_of_activities() -> None:
    preview = read_roadmap("roadmap.docx", files.docx_003(), school_year=2023)
    first = preview.tracks[0].activities[0]
    assert (first.form, first.deadline_text, first.responsible) == (
        "анализ",
        "сентябрь, октябрь",
        "Специалисты УО, специалисты МКУ ЦРО",
    )
    assert first.name.startswith("Анализ результатов процедур оценки качества образования")
    assert first.expected_result == (
        "получение объективной информации о состоянии качества образования в ОО муниципалитета"
    )
    deadlines = {(a.number, a.deadline_text): a.deadline for a in preview.activities}
    assert deadlines[("1", "сентябрь, октябрь")] == Deadline(
        Kind.MONTHS, D(2023, 9, 1), D(2023, 10, 31)
    )
    assert deadlines[("9", "не реже 1 раза в четверть")] == Deadline(
        Kind.RECURRING, D(2023, 9, 1), D(2024, 8, 31)
    )
    assert deadlines[("12", "по запросу ОО")] == Deadline(Kind.ON_REQUEST)
    assert deadlines[("1", "июнь-август")] == Deadline(Kind.MONTHS, D(2024, 6, 1), D(2024, 8, 31))
    assert deadlines[("", "ежемесячно")].kind == Kind.RECURRING
    assert deadlines[("15", "в период каникул")] == Deadline(Kind.BY_SCHEDULE)


def test_docx_003_reports_the_unnumbered_row() -> None:
    preview = read_roadmap("roadmap.docx", files.docx_003(), school_year=2023)
    assert [str(p) for p in preview.problems] == ["таблица 3, строка 3: мероприятие без номера"]


def test_docx_000_sections_in_the_number_column_and_rows_continued_after_a_page_break() -> None:
    preview = read_roadmap("plan.docx", files.docx_000(), school_year=2019)
    assert [(t.name, [a.number for a in t.activities]) for t in preview.tracks] == [
        ("Создание условий для реализации Программы", ["1.2", "1.3", "1.5", "1.6"]),
        ("Информационно-методическое сопровождение общеобразовательных учреждений", ["2.1", "2.6"]),
        ("Информационно-аналитическое обеспечение реализации Программы", ["3.1", "3.2"]),
    ]
    by_number = {a.number: a for a in preview.activities}
    assert by_number["1.6"].expected_result == (
        "Включение в муниципальную программу дополнительно ряда мероприятий на основании "
        "предварительных результатов государственной итоговой аттестации"
    )
    assert by_number["2.6"].name == (
        "Оказание информационно- методической помощи школам и их консультирование по вопросам "
        "повышения качества образования"
    )
    assert by_number["2.6"].deadline == Deadline(Kind.DURING_YEAR, D(2019, 9, 1), D(2020, 8, 31))
    assert by_number["1.2"].deadline == Deadline(Kind.MONTHS, D(2020, 4, 1), D(2020, 4, 30))
    assert by_number["1.5"].responsible == "ДО, ОУ"
    assert [str(p) for p in preview.problems] == [
        "таблица 1, строка 14: срок мероприятия 3.2 не распознан: «как получится»"
    ]


def test_xlsx_000_merged_section_rows_and_title_above_the_header() -> None:
    preview = read_roadmap("plan.xlsx", files.xlsx_000(), school_year=2019)
    assert [len(t.activities) for t in preview.tracks] == [4, 2, 2]
    assert preview.tracks[1].name == (
        "Информационно-методическое сопровождение общеобразовательных учреждений"
    )
    assert preview.activities[5].deadline_text == "в течение года"
    assert preview.problems[0].where == "лист «План», строка 15"


def test_xlsx_vertically_merged_responsible_is_passed_down() -> None:
    preview = read_roadmap("r.xlsx", files.xlsx_003_vertical_merge(), school_year=2023)
    assert [a.responsible for a in preview.activities] == [
        "Специалисты УО, специалисты МКУ ЦРО",
        "Отдел общего образования",
        "Отдел общего образования",
    ]
    assert [str(p) for p in preview.problems] == [
        "лист «Sheet», строка 2: название направления не найдено, названо «Раздел 1»"
    ]


def test_file_without_a_roadmap_table_is_reported() -> None:
    preview = read_roadmap("empty.xlsx", files.xlsx_empty(), school_year=2023)
    assert preview.tracks == []
    assert "не найдено ни одной таблицы мероприятий" in preview.problems[0].message
