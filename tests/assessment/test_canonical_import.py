"""The canonical importer: exact values stored, every error kind located, replace and rollback."""

import io

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError

from opora.assessment.choices import BatchStatus
from opora.assessment.importers import parse_results
from opora.assessment.models import ImportBatch, StudentResult
from opora.assessment.pseudonym import student_key
from opora.assessment.services import results_import_commit, results_import_rollback
from opora.core.models import AuditEntry
from tests.assessment.conftest import HEADER, csv_bytes

ROWS = [
    [
        "a1",
        "ВПР",
        "Математика",
        "2024",
        "основной",
        "5",
        "5А",
        "S1",
        "11",
        "",
        "",
        "",
        "1;0;2;1;x;2;1;1;2;1",
        "4",
        "4",
    ],
    ["a1", "впр", "математика", "2024", "", "5", "5А", "S2", "3", "2", "", "", "", "3", "3"],
    [
        "b1",
        "ЕГЭ",
        "Русский язык",
        "2023/2024",
        "",
        "11",
        "11Б",
        "S3",
        "",
        "",
        "72",
        "",
        "",
        "5",
        "5",
    ],
    ["b1", "ЕГЭ", "Математика", "2024", "", "11", "11Б", "S3", "", "", "27", "", "", "3", "3"],
    ["a2", "ОГЭ", "Русский язык", "2024", "", "9", "9В", "S4", "23", "", "", "", "", "", ""],
    [
        "a2",
        "Итоговое сочинение",
        "Русский язык",
        "2024",
        "",
        "11",
        "11А",
        "S5",
        "",
        "",
        "",
        "незачёт",
        "",
        "",
        "",
    ],
]


def _commit(data: bytes, name: str = "results.csv") -> ImportBatch:
    parsed = parse_results(data, name)
    assert parsed.errors == []
    return results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)


def test_rows_are_stored_with_exact_values(results_setup) -> None:
    batch = _commit(csv_bytes(ROWS))
    assert batch.rows_read == 6 and batch.rows_written == 6
    first = StudentResult.objects.get(student_key=student_key("S1"))
    assert (first.school.code, first.procedure_id, first.subject_id, first.year) == (
        "a1",
        "vpr",
        "math",
        2024,
    )
    assert (first.grade, first.class_label, first.period) == (5, "5А", "main")
    assert (first.primary_score, first.mark, first.test_score, first.passed) == (
        11,
        None,
        None,
        None,
    )
    assert first.task_scores == [1, 0, 2, 1, None, 2, 1, 1, 2, 1]
    assert (first.journal_mark_term, first.journal_mark_year) == (4, 4)
    ege = StudentResult.objects.filter(student_key=student_key("S3")).order_by("subject_id")
    assert [(r.procedure_id, r.subject_id, r.year, r.test_score) for r in ege] == [
        ("ege", "math_profile", 2024, 27),
        ("ege", "rus", 2024, 72),
    ]
    # ОГЭ 2024 Russian: no mark in the file, derived from the reference scale (23 → «4»).
    assert StudentResult.objects.get(student_key=student_key("S4")).mark == 4
    assert StudentResult.objects.get(student_key=student_key("S5")).passed is False
    assert [(i["procedure"], i["subject"], i["year"], i["rows"]) for i in batch.summary] == [
        ("ege", "math_profile", 2024, 1),
        ("ege", "rus", 2024, 1),
        ("essay", "rus", 2024, 1),
        ("oge", "rus", 2024, 1),
        ("vpr", "math", 2024, 2),
    ]


def test_xlsx_with_title_row_and_decimal_cells_is_read(results_setup) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Результаты")
    sheet.write_row(0, 0, ["Результаты ВПР 2024"])
    sheet.write_row(1, 0, HEADER)
    sheet.write_row(2, 0, ["a1", "ВПР", "Русский язык", 2024, "", 5.0, "5А", 100123, 30, 4])
    book.close()
    batch = _commit(buffer.getvalue(), "vpr.xlsx")
    row = StudentResult.objects.get(batch=batch)
    assert (row.student_key, row.grade, row.primary_score, row.mark) == (
        student_key("100123"),
        5,
        30,
        4,
    )


ERROR_CASES = [
    # (column index, bad value, column letter, header, message fragment)
    (0, "zz9", "A", "Код школы", "школы с таким кодом нет"),
    (1, "ЦТ", "B", "Процедура", "неизвестная процедура"),
    (2, "Астрология", "C", "Предмет", "неизвестный предмет"),
    (3, "1899", "D", "Год", "год вне допустимого диапазона"),
    (3, "прошлый", "D", "Год", "ожидается год"),
    (4, "летний", "E", "Период", "неизвестный период"),
    (5, "9", "F", "Параллель", "параллель не допускается для процедуры"),
    (5, "5,5", "F", "Параллель", "ожидается целое число"),
    (8, "11 б.", "I", "Первичный балл", "ожидается целое число"),
    (12, "1;0;2", "M", "Баллы по заданиям", "сумма баллов по заданиям не равна первичному"),
    (9, "6", "J", "Отметка", "ожидается отметка от 2 до 5"),
    (12, "1;a;2", "M", "Баллы по заданиям", "ожидаются целые баллы"),
    (13, "1", "N", "Отметка за четверть", "ожидается отметка от 2 до 5"),
    (7, "", "H", "Код участника", "не заполнено"),
]


@pytest.mark.parametrize(("index", "value", "letter", "header", "fragment"), ERROR_CASES)
def test_each_bad_value_is_reported_with_row_and_column(
    results_setup, index, value, letter, header, fragment
) -> None:
    rows = [list(row) for row in ROWS]
    rows[0][index] = value
    parsed = parse_results(csv_bytes(rows), "bad.csv")
    assert len(parsed.errors) >= 1
    error = next(e for e in parsed.errors if fragment in e.message)
    assert (error.file, error.row, error.column, error.header) == ("bad.csv", 2, letter, header)
    assert error.value == value
    assert str(error).startswith(f"файл «bad.csv», строка 2, столбец {letter} «{header}»")


def test_score_above_the_years_maximum_names_the_maximum(results_setup) -> None:
    rows = [list(ROWS[4])]
    rows[0][8] = "34"
    (error,) = parse_results(csv_bytes(rows), "oge.csv").errors
    assert error.message.endswith("(33)") and error.column == "I"


def test_missing_result_and_test_score_are_errors(results_setup) -> None:
    rows = [list(ROWS[1]), list(ROWS[2])]
    rows[0][8] = rows[0][9] = ""
    rows[1][10] = ""
    messages = [e.message for e in parse_results(csv_bytes(rows), "x.csv").errors]
    assert messages == [
        "нет результата: укажите отметку или первичный балл",
        "нет тестового балла (обязателен для ЕГЭ)",
    ]


def test_duplicate_rows_are_reported_with_the_first_row(results_setup) -> None:
    rows = [ROWS[0], ROWS[1], ROWS[0]]
    (error,) = parse_results(csv_bytes(rows), "dup.csv").errors
    assert error.row == 4 and error.column == "H" and "впервые в строке 2" in error.message


def test_missing_required_column_is_a_file_error(results_setup) -> None:
    header = [h for h in HEADER if h != "Код школы"]
    rows = [row[1:] for row in ROWS]
    (error,) = parse_results(csv_bytes(rows, header=header), "x.csv").errors
    assert error.row == 0 and "Нет обязательного столбца «Код школы»" in error.message


def test_cp1251_comma_separated_file_is_read(results_setup) -> None:
    data = csv_bytes(ROWS[:2], delimiter=",", encoding="cp1251")
    assert _commit(data).rows_written == 2


def test_reimporting_the_same_file_replaces_its_batch(results_setup) -> None:
    data = csv_bytes(ROWS)
    first = _commit(data)
    second = _commit(data)
    first.refresh_from_db()
    assert StudentResult.objects.count() == 6
    assert set(StudentResult.objects.values_list("batch_id", flat=True)) == {second.pk}
    assert (first.status, first.replaced_by_id) == (BatchStatus.REPLACED, second.pk)


def test_rows_loaded_by_another_file_are_not_doubled(results_setup) -> None:
    _commit(csv_bytes(ROWS))
    other = csv_bytes(
        [
            *ROWS[:1],
            [
                "a1",
                "ВПР",
                "Русский язык",
                "2024",
                "",
                "5",
                "5А",
                "S1",
                "20",
                "3",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    parsed = parse_results(other, "other.csv")
    (error,) = parsed.errors
    assert error.row == 2 and "уже загружен пакетом №" in error.message


def _table_state() -> list[tuple]:
    return sorted(
        StudentResult.objects.values_list(
            "student_key", "school_id", "procedure_id", "subject_id", "year", "mark", "batch_id"
        )
    )


def test_rollback_restores_the_results_exactly(results_setup) -> None:
    kept = _commit(csv_bytes(ROWS[:2]), "kept.csv")
    before = _table_state()
    batch = _commit(csv_bytes(ROWS[2:]), "later.csv")
    assert len(_table_state()) == 6
    assert results_import_rollback(actor=None, batch=batch, source=AuditEntry.Source.CLI) == 4
    assert _table_state() == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK and batch.rolled_back_at is not None
    assert kept.results.count() == 2


def test_commands_check_import_and_roll_back(results_setup, tmp_path) -> None:
    path = tmp_path / "results.csv"
    path.write_bytes(csv_bytes(ROWS))
    out = io.StringIO()
    call_command("import-results", str(path), "--dry-run", stdout=out)
    assert "Ничего не записано" in out.getvalue() and StudentResult.objects.count() == 0
    call_command("import-results", str(path), stdout=out)
    batch = ImportBatch.objects.get()
    assert f"Загружен пакет №{batch.pk}: строк 6" in out.getvalue()
    call_command("rollback-import", str(batch.pk), stdout=out)
    assert StudentResult.objects.count() == 0
    with pytest.raises(CommandError, match="нельзя отменить"):
        call_command("rollback-import", str(batch.pk), stdout=out)


def test_command_with_errors_writes_nothing(results_setup, tmp_path) -> None:
    path = tmp_path / "bad.csv"
    rows = [list(row) for row in ROWS]
    rows[3][9] = "7"
    path.write_bytes(csv_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="ошибок 1"):
        call_command("import-results", str(path), stderr=err)
    assert "строка 5, столбец J «Отметка»: значение «7»" in err.getvalue()
    assert StudentResult.objects.count() == 0 and ImportBatch.objects.count() == 0
