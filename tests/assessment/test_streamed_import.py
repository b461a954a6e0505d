"""Checking and storing in one go (`streaming.import_results`): slices of whole schools are
checked and sent to one `COPY` while the next are checked; any error, however late, leaves
nothing written and nothing stored lost, and is reported as `parse_results` reports it."""

import pytest

from opora.assessment import streaming
from opora.assessment.choices import BatchStatus
from opora.assessment.importers import parse_results
from opora.assessment.models import ImportBatch, StudentResult
from opora.assessment.pseudonym import student_key
from opora.core.models import AuditEntry
from tests.assessment.conftest import HEADER, csv_bytes

ROW = ["a1", "ВПР", "Математика", "2024", "", "5", "5А", "", "11", "4", "", "", "", "", ""]
SCHOOLS = ["a1", "a2", "b1", "b2", "c1"]


def _rows(count: int, *, first: int = 0) -> list[list[str]]:
    """`count` valid rows, students S{first}…, spread over the five schools in turn."""
    return [[SCHOOLS[n % 5], *ROW[1:7], f"S{n}", *ROW[8:]] for n in range(first, first + count)]


@pytest.fixture
def one_school_per_slice(monkeypatch):  # type: ignore[no-untyped-def]
    """Slices as small as they go (one school each), so a file of five schools has five."""
    monkeypatch.setattr(streaming, "FIRST_SLICE_ROWS", 1)
    monkeypatch.setattr(streaming, "SLICE_ROWS", 1)


def _import(data: bytes, name: str = "results.csv", progress=None):  # type: ignore[no-untyped-def]
    return streaming.import_results(
        actor=None,
        data=data,
        file_name=name,
        source=AuditEntry.Source.CLI,
        progress=progress or (lambda done, total: None),
    )


def test_every_row_is_stored_with_its_summary_and_progress(
    results_setup, one_school_per_slice
) -> None:
    calls: list[tuple[int, int]] = []
    parsed, batch = _import(csv_bytes(_rows(50)), progress=lambda d, t: calls.append((d, t)))
    assert batch is not None and not parsed.errors
    assert (batch.rows_read, batch.rows_written, batch.status) == (50, 50, BatchStatus.COMMITTED)
    assert batch.summary == [
        {"procedure": "vpr", "subject": "math", "year": 2024, "period": "main", "rows": 50}
    ]
    assert StudentResult.objects.filter(batch=batch).count() == 50
    stored = StudentResult.objects.get(student_key=student_key("S7"))
    assert (stored.school.code, stored.grade, stored.primary_score, stored.mark) == ("b1", 5, 11, 4)
    assert calls[0] == (0, 50) and calls[-1] == (50, 50)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    if streaming.connection.vendor == "postgresql":
        assert len(calls) == 6  # the start, then one call per school


def test_an_error_in_the_last_slice_leaves_nothing_written_and_nothing_lost(
    results_setup, one_school_per_slice
) -> None:
    _, kept = _import(csv_bytes(_rows(10, first=100)), "other.csv")
    data_ok = csv_bytes(_rows(50))
    _, first = _import(data_ok, "same.csv")
    assert kept is not None and first is not None
    bad = _rows(50)
    bad[44][0] = "zz"  # school c1's slice comes last: c1 has the largest id
    bad[44][9] = "7"
    bad_data = csv_bytes(bad)
    parsed, batch = _import(bad_data, "bad.csv")
    expected = parse_results(bad_data, "bad.csv")
    assert batch is None
    assert [str(e) for e in parsed.errors] == [str(e) for e in expected.errors]
    assert [(e.row, e.column) for e in parsed.errors] == [(46, "A"), (46, "J")]
    assert parsed.error_count == 2
    assert ImportBatch.objects.count() == 2
    assert StudentResult.objects.filter(batch=kept).count() == 10
    assert StudentResult.objects.filter(batch=first).count() == 50
    assert StudentResult.objects.count() == 60


def test_a_late_error_in_a_reimport_keeps_the_batch_it_would_replace(
    results_setup, one_school_per_slice
) -> None:
    rows = _rows(50)
    _, first = _import(csv_bytes(rows), "same.csv")
    rows[49][9] = "9"  # the same file fixed wrongly: a new file, the old batch stays
    parsed, batch = _import(csv_bytes(rows), "same.csv")
    assert batch is None and [(e.row, e.column) for e in parsed.errors] == [(51, "J")]
    assert first is not None
    first.refresh_from_db()
    assert first.status == BatchStatus.COMMITTED
    assert StudentResult.objects.filter(batch=first).count() == 50


def test_reimport_of_the_same_file_replaces_its_batch(results_setup, one_school_per_slice) -> None:
    data = csv_bytes(_rows(20))
    _, first = _import(data)
    _, second = _import(data)
    assert first is not None and second is not None
    first.refresh_from_db()
    assert (first.status, first.replaced_by) == (BatchStatus.REPLACED, second)
    assert StudentResult.objects.count() == 20
    assert set(StudentResult.objects.values_list("batch", flat=True)) == {second.pk}


def test_a_repeat_across_slices_and_a_stored_result_are_reported(
    results_setup, one_school_per_slice
) -> None:
    rows = _rows(20)
    rows[19][7] = "S0"  # S0 again, in another school: another slice
    parsed, batch = _import(csv_bytes(rows))
    assert batch is None and parsed.error_count == 1
    assert (parsed.errors[0].row, parsed.errors[0].column) == (21, "H")
    assert "повторный результат" in parsed.errors[0].message
    _, stored = _import(csv_bytes(_rows(5)), "first.csv")
    assert stored is not None
    parsed, batch = _import(csv_bytes(_rows(10)), "second.csv")
    assert batch is None and parsed.error_count == 5
    assert all(f"пакетом №{stored.pk}" in e.message for e in parsed.errors)
    assert StudentResult.objects.count() == 5 and ImportBatch.objects.count() == 1


def test_class_labels_with_characters_copy_reserves_are_stored_as_given(results_setup) -> None:
    rows = _rows(3)
    rows[0][6], rows[1][6], rows[2][6] = "5\\А", "5\tБ", "\\N"
    _, batch = _import(csv_bytes(rows))
    assert batch is not None
    labels = dict(StudentResult.objects.values_list("student_key", "class_label"))
    assert labels == {
        student_key("S0"): "5\\А",
        student_key("S1"): "5\tБ",
        student_key("S2"): "\\N",
    }


def test_blank_lines_and_padded_cells_are_read_as_parse_results_reads_them(
    results_setup, one_school_per_slice
) -> None:
    rows: list[list[str]] = [[" a2 ", *ROW[1:7], " S1", *ROW[8:]], [""] * 15, *_rows(3, first=5)]
    data = csv_bytes(rows)
    calls: list[tuple[int, int]] = []
    parsed, batch = _import(data, progress=lambda d, t: calls.append((d, t)))
    assert batch is not None and batch.rows_read == 4 == parse_results(data, "x.csv").rows_read
    assert calls[-1][0] == calls[-1][1]  # complete (the blank line counted as sent, or not at all)
    assert StudentResult.objects.get(student_key=student_key("S1")).school.code == "a2"
    rows[2][9] = "8"  # an error after the blank line: rows keep their numbers in the file
    parsed, batch = _import(csv_bytes(rows))
    assert batch is None and [(e.row, e.column) for e in parsed.errors] == [(4, "J")]


def test_a_file_of_blank_lines_is_reported_as_empty(results_setup) -> None:
    parsed, batch = _import(csv_bytes([[""] * 15, [""] * 15]))
    assert batch is None and parsed.error_count == 1
    assert "нет строк с данными" in parsed.errors[0].message


def test_a_workbook_goes_the_same_way(results_setup, one_school_per_slice) -> None:
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Результаты")
    sheet.write_row(0, 0, ["Результаты ВПР 2024"])
    sheet.write_row(1, 0, HEADER)
    rows = _rows(3)
    rows[2][5] = "13"  # school b1's grade: the last slice
    for number, row in enumerate(rows, start=2):
        sheet.write_row(number, 0, row)
    book.close()
    parsed, batch = _import(buffer.getvalue(), "vpr.xlsx")
    assert batch is None and {(e.sheet, e.row, e.column) for e in parsed.errors} == {
        ("Результаты", 5, "F")
    }
    assert "ожидается параллель от 1 до 12" in {e.message for e in parsed.errors}
    assert not StudentResult.objects.exists()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Результаты").write_row(0, 0, HEADER)
    for number, row in enumerate(_rows(3), start=1):
        book.get_worksheet_by_name("Результаты").write_row(number, 0, row)
    book.close()
    parsed, batch = _import(buffer.getvalue(), "vpr.xlsx")
    assert batch is not None and batch.rows_written == 3 == StudentResult.objects.count()


def test_the_upload_job_reports_rows_sent_of_rows_in_the_file(
    results_setup, one_school_per_slice, settings, tmp_path
) -> None:
    from opora.assessment import import_jobs

    settings.MEDIA_ROOT = tmp_path
    seen: list[tuple[str, int, int]] = []
    save = import_jobs.save

    def recording_save(job: import_jobs.ImportJob) -> None:
        seen.append((job.state, job.rows_done, job.rows_total))
        save(job)

    import_jobs.save = recording_save  # type: ignore[assignment]
    try:
        job = import_jobs.ImportJob(
            token="2" * 32, file_name="results.csv", format="canonical", dry_run=False
        )
        import_jobs.run(job, None, csv_bytes(_rows(30)))
    finally:
        import_jobs.save = save  # type: ignore[assignment]
    assert (job.state, job.rows_done, job.rows_total) == ("done", 30, 30)
    writing = [entry for entry in seen if entry[0] == "writing"]
    assert writing[0] == ("writing", 0, 30) and writing[-1] == ("writing", 30, 30)
    assert StudentResult.objects.count() == 30
