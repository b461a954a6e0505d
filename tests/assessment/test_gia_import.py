"""ГИА results from a РЦОИ protocol: exact values, subject codes, checks located, replace."""

import pytest

from opora.assessment.importers import ImportOptions, parse_results
from opora.assessment.models import ImportBatch, StudentResult
from opora.assessment.pseudonym import student_key
from opora.assessment.services import results_import_commit
from opora.core.models import AuditEntry
from tests.assessment.forms import GIA_HEADER, GIA_ROWS, gia_csv, workbook


def _parse(data: bytes, name: str = "rcoi.csv", **options):  # type: ignore[no-untyped-def]
    return parse_results(data, name, "gia", ImportOptions(**options))


def _commit(parsed) -> ImportBatch:  # type: ignore[no-untyped-def]
    assert parsed.errors == []
    return results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)


def test_rcoi_protocol_is_stored_with_exact_values(results_setup) -> None:
    parsed = _parse(gia_csv(), procedure="ЕГЭ")
    batch = _commit(parsed)
    assert (batch.format, batch.rows_read, batch.rows_written) == ("gia", 2, 2)
    row = StudentResult.objects.select_related("school").get(
        student_key=student_key("документ:4510123456")
    )
    assert (row.school.code, row.procedure_id, row.subject_id, row.year, row.period) == (
        "a1",
        "ege",
        "rus",
        2024,
        "main",
    )
    assert (row.grade, row.class_label, row.primary_score, row.test_score, row.mark) == (
        11,
        "11А",
        7,
        72,
        None,
    )
    assert (row.task_scores, row.medal) == ([1, 1, 0, 1, 1, 2, 1], "gold")
    other = StudentResult.objects.get(student_key=student_key("документ:4511654321"))
    assert (other.task_scores, other.test_score, other.medal) == ([1, 0, 0, None, 0, 0, 0], 30, "")
    assert batch.dropped_columns == [
        "Фамилия",
        "Имя",
        "Отчество",
        "Серия",
        "Дата рождения",
        "Номер",
    ]


def test_subject_codes_procedures_and_grades_from_columns(results_setup) -> None:
    header = [
        "Код ОО",
        "Класс",
        "Код участника",
        "Вид экзамена",
        "Предмет",
        "Дата экзамена",
        "Первичный балл",
        "Тестовый балл",
        "Оценка",
        "Категория участника",
    ]
    rows = [
        ["a1", "11А", "P1", "ЕГЭ", "02", "31.05.2024", "12", "70", "", "выпускник текущего года"],
        ["a1", "11А", "P1", "ЕГЭ", "22", "31.05.2024", "15", "", "4", ""],
        ["a2", "9Б", "P2", "ОГЭ", "2", "2024-06-10", "20", "", "4", ""],
        ["b1", "9", "P3", "ГВЭ", "Русский язык", "04.09.2024", "", "", "3", ""],
        ["", "", "P9", "ЕГЭ", "1", "31.05.2024", "", "55", "", "Выпускник прошлых лет"],
    ]
    parsed = _parse(gia_csv(rows, header=header, title="", footer=False))
    assert parsed.skipped_rows == 1
    batch = _commit(parsed)
    stored = sorted(
        StudentResult.objects.filter(batch=batch).values_list(
            "procedure_id",
            "subject_id",
            "grade",
            "class_label",
            "year",
            "period",
            "test_score",
            "mark",
        )
    )
    assert stored == [
        ("ege", "math_profile", 11, "11А", 2024, "main", 70, None),
        ("ege_base", "math_base", 11, "11А", 2024, "main", None, 4),
        ("gve9", "rus", 9, "", 2024, "autumn", None, 3),
        ("oge", "math", 9, "9Б", 2024, "main", None, 4),
    ]


def test_xlsx_protocol_with_document_column_is_read(results_setup) -> None:
    header = ["№", "Фамилия", "Имя", "Документ", "Код ОО", "Класс", "Первичный балл", "Оценка"]
    book = workbook(
        {
            "Протокол": [
                ["22 - Математика базовая 2023.06.01"],
                header,
                [1, "Сидоров", "Олег", "4512 111222", "a2", "11", 15, 4],
            ]
        }
    )
    batch = _commit(_parse(book, "base.xlsx", procedure="ЕГЭ"))
    row = StudentResult.objects.get(batch=batch)
    assert (row.procedure_id, row.subject_id, row.year, row.grade, row.mark, row.primary_score) == (
        "ege_base",
        "math_base",
        2023,
        11,
        4,
        15,
    )
    assert row.student_key == student_key("документ:4512111222")


ERRORS = [
    # (column index in GIA_ROWS, bad value, letter, header, message fragment)
    (2, "zz9", "C", "Код ОО", "школы с таким кодом нет"),
    (3, "девятый", "D", "Класс", "ожидается класс"),
    (12, "+a-", "M", "Задания с кратким ответом", "ожидается строка заданий"),
    (13, "3(2)1(2)", "N", "Задания с развёрнутым ответом", "больше максимального"),
    (14, "3", "N", "Задания с развёрнутым ответом", "сумма баллов по заданиям больше первичного"),
    (15, "101", "P", "Балл", "от 0 до 100"),
    (16, "бронза", "Q", "Медаль", "ожидается «золотая»"),
]


@pytest.mark.parametrize(("index", "value", "letter", "header", "fragment"), ERRORS)
def test_each_bad_value_is_reported_with_row_and_column(
    results_setup, index, value, letter, header, fragment
) -> None:
    rows = [list(r) for r in GIA_ROWS]
    rows[0][index] = value
    parsed = _parse(gia_csv(rows), procedure="ЕГЭ")
    assert parsed.frame.is_empty()
    error = next(e for e in parsed.errors if fragment in e.message)
    assert (error.row, error.column, error.header) == (3, letter, header)
    assert str(error).startswith(f"файл «rcoi.csv», строка 3, столбец {letter} «{header}»")


def test_unknown_subject_code_test_score_for_oge_and_missing_procedure(results_setup) -> None:
    (error,) = _parse(gia_csv()).errors
    assert "Не указана процедура" in error.message
    (error,) = _parse(gia_csv(title="99 - Неведомый 2024.06.03"), procedure="ЕГЭ").errors
    assert error.row == 0 and "предмет «99»: неизвестный код предмета РЦОИ" in error.message
    header = [*GIA_HEADER, "Предмет"]
    rows = [[*GIA_ROWS[0], "77"]]
    (error,) = _parse(gia_csv(rows, header=header), procedure="ЕГЭ").errors
    assert (error.row, error.column, error.value, error.message) == (
        3,
        "R",
        "77",
        "неизвестный предмет",
    )
    errors = _parse(gia_csv(), procedure="ОГЭ").errors
    assert {e.message.split(":")[0] for e in errors} >= {"параллель не допускается для процедуры"}
    rows = [[*r[:3], "9А", *r[4:16], ""] for r in GIA_ROWS]
    errors = _parse(gia_csv(rows), procedure="ОГЭ").errors
    assert any("тестовый балл бывает только у ЕГЭ" in e.message for e in errors)


def test_duplicate_does_not_echo_the_document_number(results_setup) -> None:
    rows = [GIA_ROWS[0], GIA_ROWS[0]]
    (error,) = _parse(gia_csv(rows), procedure="ЕГЭ").errors
    assert (error.row, error.column) == (4, "K") and "впервые в строке 3" in error.message
    assert "123456" not in str(error) and "Иванов" not in str(error)


def test_reimport_replaces_and_header_is_as_documented(results_setup) -> None:
    first = _commit(_parse(gia_csv(), procedure="ЕГЭ"))
    second = _commit(_parse(gia_csv(), procedure="ЕГЭ"))
    first.refresh_from_db()
    assert first.status == "replaced" and StudentResult.objects.count() == 2
    assert set(StudentResult.objects.values_list("batch_id", flat=True)) == {second.pk}
    assert GIA_HEADER[2] == "Код ОО"


def test_command_reads_a_rcoi_file_with_procedure_and_year(results_setup, tmp_path) -> None:
    import io

    from django.core.management import call_command

    path = tmp_path / "rcoi.csv"
    path.write_bytes(gia_csv(title="01 - Русский язык"))
    out = io.StringIO()
    call_command(
        "import-results",
        str(path),
        "--format",
        "gia",
        "--procedure",
        "ЕГЭ",
        "--year",
        "2025",
        stdout=out,
    )
    assert "Загружен пакет" in out.getvalue() and "ege · rus · 2025 · main: 2" in out.getvalue()
    assert "Отброшены столбцы с персональными данными: Фамилия, Имя, Отчество" in out.getvalue()
    assert set(StudentResult.objects.values_list("year", flat=True)) == {2025}
