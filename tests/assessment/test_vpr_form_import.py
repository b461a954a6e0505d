"""The ВПР collection form: exact values stored, labels and cells checked and located."""

import pytest

from opora.assessment.importers import ImportOptions, parse_results
from opora.assessment.models import StudentResult
from opora.assessment.pseudonym import student_key
from opora.assessment.services import results_import_commit
from opora.core.models import AuditEntry
from tests.assessment.forms import VPR_HEADER, VPR_ROWS, vpr_sheet, workbook


def _key(code: str, school: str = "a1", year: int = 2024) -> str:
    return student_key(f"{school}:{year}:{code}", namespace="vpr")


def _parse(data: bytes, name: str = "a1_vpr.xlsx", **options):  # type: ignore[no-untyped-def]
    return parse_results(data, name, "vpr-form", ImportOptions(**options))


def test_class_sheets_are_stored_with_exact_values(results_setup) -> None:
    sheet_b = vpr_sheet(grade="5Б", rows=[[1, 20001, 1, 0, 0, 0, 0, 0, 2, 3, 3]])
    data = workbook({"5А": vpr_sheet(), "5Б": sheet_b})
    parsed = _parse(data)
    assert parsed.errors == []
    assert (parsed.rows_read, parsed.skipped_rows) == (4, 1)
    batch = results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)
    assert batch.format == "vpr-form" and batch.rows_written == 4
    rows = {
        r.student_key: r for r in StudentResult.objects.select_related("school").filter(batch=batch)
    }
    first = rows[_key("10001")]
    assert (first.school.code, first.procedure_id, first.subject_id, first.year) == (
        "a1",
        "vpr",
        "math",
        2024,
    )
    assert (first.grade, first.class_label, first.period, first.controlled) == (
        5,
        "5А",
        "main",
        None,
    )
    assert first.task_scores == [1, 2, None, 1]
    assert (first.primary_score, first.mark, first.journal_mark_term, first.journal_mark_year) == (
        4,
        5,
        5,
        5,
    )
    assert rows[_key("10002")].task_scores == [0, 1, 0, 0]
    assert (rows[_key("10002")].primary_score, rows[_key("10002")].mark) == (1, 2)
    assert (rows[_key("20001")].class_label, rows[_key("20001")].primary_score) == ("5Б", 0)
    assert _key("10004") not in rows


def test_school_and_year_may_come_from_the_file_name_and_labels_from_a_title_sheet(
    results_setup,
) -> None:
    title = [["Код ОО", None, "a2"], ["Общественное наблюдение: да"], ["Предмет", "Русский язык"]]
    sheet = vpr_sheet(school=None, subject=None, grade=None, year=None)
    data = workbook({"Сведения": title, "6В": sheet})
    batch = results_import_commit(
        actor=None, parsed=_parse(data, "vpr_2023.xlsx"), source=AuditEntry.Source.CLI
    )
    row = StudentResult.objects.filter(batch=batch).get(student_key=_key("10001", "a2", 2023))
    assert (row.school.code, row.subject_id, row.grade, row.class_label, row.year) == (
        "a2",
        "rus",
        6,
        "6В",
        2023,
    )
    assert row.controlled is True
    assert StudentResult.objects.filter(batch=batch).count() == 3
    by_name = _parse(workbook({"5А": vpr_sheet(school=None)}), "b1 ВПР математика.xlsx")
    assert by_name.errors == [] and set(by_name.frame.get_column("school_id")) == {
        results_setup.b1.pk
    }


def test_two_row_header_and_no_maxima_row_are_read(results_setup) -> None:
    header_top = ["№", "Код", "Номер задания", None, None, None, "Сумма баллов", "Отметка"]
    header_tasks = [None, None, "1", "2", "3", "4К1", None, None]
    rows = [[1, "А-17", 1, 1, 0, 2, 4, 3]]
    sheet = vpr_sheet(grade=None, header=header_top, maxima=header_tasks, rows=rows)
    parsed = _parse(workbook({"7А": sheet}), "a1.xlsx", procedure="ВПР")
    assert parsed.errors == []
    frame = parsed.frame.row(0, named=True)
    assert (frame["task_scores"], frame["primary_score"], frame["grade"]) == ("[1,1,0,2]", 4, 7)


ERRORS = [
    # (sheet rows change, row, letter, header, value, message fragment)
    ({"rows": [[1, 1, 1, 1, 3, 1, 1, 6, 5]]}, 9, "E", "2", "3", "больше максимального (2)"),
    ({"rows": [[1, 1, 1, 1, "a", 1, 1, 3, 3]]}, 9, "E", "2", "a", "ожидается целый балл"),
    (
        {"rows": [[1, 1, 1, 1, 2, 1, 1, 4, 4]]},
        9,
        "H",
        "Сумма баллов",
        "4",
        "сумме баллов по заданиям (5)",
    ),
    ({"rows": [[1, 1, 1, 1, 2, 1, 1, 5, 6]]}, 9, "I", "Отметка", "6", "от 2 до 5"),
    (
        {"rows": [[1, 1, 1, 1, 2, 1, 1, 5, 5, 1]]},
        9,
        "J",
        "Отметка за предыдущую четверть",
        "1",
        "от 2 до 5",
    ),
    ({"rows": [[1, None, 1, 1, 2, 1, 1, 5, 5]]}, 9, "B", "Код участника", "", "не заполнен код"),
    ({"school": "zz9"}, 2, "B", "Код ОО", "zz9", "школы с таким кодом"),
    ({"subject": "Астрология"}, 3, "A", "Предмет", "Астрология", "неизвестный предмет"),
    ({"grade": "9А", "sheet": "9А"}, 4, "B", "Класс", "9А", "параллель 9 не допускается"),
    ({"grade": "6А"}, 4, "B", "Класс", "6А", "не совпадает с названием листа"),
    ({"year": "прошлый"}, 5, "B", "Год", "прошлый", "ожидается год"),
]


@pytest.mark.parametrize(("change", "row", "letter", "header", "value", "fragment"), ERRORS)
def test_each_bad_cell_is_reported_with_sheet_row_and_column(
    results_setup, change, row, letter, header, value, fragment
) -> None:
    change = dict(change)
    sheet = change.pop("sheet", "5А")
    parsed = _parse(workbook({sheet: vpr_sheet(**change)}), "a1.xlsx")
    assert parsed.frame.is_empty() and parsed.errors
    error = next(e for e in parsed.errors if fragment in e.message)
    assert (error.file, error.sheet, error.row, error.column, error.header, error.value) == (
        "a1.xlsx",
        sheet,
        row,
        letter,
        header,
        value,
    )
    assert str(error).startswith(f"файл «a1.xlsx», лист «{sheet}», строка {row}")


def test_same_code_on_two_class_sheets_is_a_duplicate(results_setup) -> None:
    data = workbook({"5А": vpr_sheet(), "5Б": vpr_sheet(grade="5Б", rows=VPR_ROWS[:1])})
    (error,) = _parse(data).errors
    assert (error.sheet, error.row, error.column) == ("5Б", 9, "B")
    assert "впервые на листе «5А», строка 9" in error.message


def test_file_without_school_year_or_table_says_what_is_missing(results_setup) -> None:
    messages = [
        e.message
        for e in _parse(workbook({"5А": vpr_sheet(school=None, year=None)}), "x.xlsx").errors
    ]
    assert any("Не указана школа" in m for m in messages)
    assert any("Не указан год" in m for m in messages)
    (error,) = _parse(workbook({"Лист1": [["Привет"]]})).errors
    assert "Не найдено ни одного листа с таблицей" in error.message
    (error,) = _parse(b"not a workbook", "a1.xlsx").errors
    assert "Книгу не удалось прочитать" in error.message


def test_stray_empty_row_inside_the_table_is_an_error(results_setup) -> None:
    rows = [VPR_ROWS[0], [], VPR_ROWS[2]]
    (error,) = _parse(workbook({"5А": vpr_sheet(rows=rows)})).errors
    assert "После пустой строки таблица продолжается (строка 11)" in error.message


def test_reimport_replaces_the_batch(results_setup) -> None:
    data = workbook({"5А": vpr_sheet()})
    first = results_import_commit(actor=None, parsed=_parse(data), source=AuditEntry.Source.CLI)
    second = results_import_commit(actor=None, parsed=_parse(data), source=AuditEntry.Source.CLI)
    first.refresh_from_db()
    assert first.status == "replaced" and first.replaced_by_id == second.pk
    assert set(StudentResult.objects.values_list("batch_id", flat=True)) == {second.pk}
    assert StudentResult.objects.count() == 3


def test_header_has_the_documented_columns() -> None:
    assert VPR_HEADER[1] == "Код участника"
