"""The upload page (a background job with progress), the import history and the rollback."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.assessment import import_jobs
from opora.assessment.choices import BatchStatus
from opora.assessment.models import ImportBatch, StudentResult
from opora.core.models import AuditEntry
from tests.assessment_pages.conftest import add_results, rows_by, tree

HEADER = [
    "Код школы", "Процедура", "Предмет", "Год", "Период", "Параллель", "Класс",
    "Код участника", "Первичный балл", "Отметка", "Тестовый балл", "Зачёт",
    "Баллы по заданиям", "Отметка за четверть", "Годовая отметка",
]  # fmt: skip
GOOD = [
    ["a1", "ВПР", "Математика", "2024", "основной", "5", "5А", "S1", "", "4", "", "", "", "4", "4"],
    ["a1", "ВПР", "Математика", "2024", "основной", "5", "5А", "S2", "", "2", "", "", "", "3", "3"],
    ["b1", "ВПР", "Математика", "2024", "основной", "5", "5Б", "S3", "", "5", "", "", "", "5", "5"],
]


def csv_file(rows: list[list[str]], name: str = "впр.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([HEADER, *rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def upload(client, user, rows, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    """Post a file, wait for its job to end, and return the page that shows the job."""
    client.force_login(user)
    data = {"file": csv_file(rows), "format": "canonical"}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post(reverse("results-import"), data)
    assert response.status_code == 302, response.content.decode()[:500]
    token = response["Location"].split("job=")[1]
    import_jobs.wait(token)
    return client.get(reverse("results-import-progress") + f"?job={token}")


@pytest.mark.django_db(transaction=True)
def test_dry_run_checks_the_file_and_writes_nothing(client, personas, territory, reference):
    page = tree(upload(client, personas["monitoring"], GOOD, dry_run=True))
    job = page.xpath("//*[@data-testid='import-job']")[0]
    assert job.get("data-state") == "done"
    assert job.get("hx-get") is None  # the page stops polling
    message = page.xpath("string(//*[@data-testid='import-message'])").strip()
    assert message == "Проверка пройдена, ошибок нет. Ничего не записано."
    summary = [
        [" ".join(c.itertext()).strip() for c in row.xpath("./td")]
        for row in page.xpath("//table[@data-testid='import-summary']/tbody/tr")
    ]
    assert summary == [["ВПР", "Математика", "2024", "основной", "3"]]
    assert not StudentResult.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_upload_stores_a_batch_and_shows_it_in_the_history(client, personas, territory, reference):
    page = tree(upload(client, personas["monitoring"], GOOD))
    batch = ImportBatch.objects.get()
    message = page.xpath("string(//*[@data-testid='import-message'])").strip()
    assert message == f"Загружен пакет №{batch.pk}: строк 3."
    assert sorted(StudentResult.objects.values_list("school__code", "mark")) == [
        ("a1", 2),
        ("a1", 4),
        ("b1", 5),
    ]
    assert batch.actor == personas["monitoring"]
    history = rows_by(client.get(reverse("results-import-history")), "data-batch")
    row = history[str(batch.pk)]
    assert row[2:4] == [
        "p-monitoring",
        f"впр.csv SHA-256 {batch.sha256[:12]}… состав ВПР · Математика · 2024 · основной: 3",
    ]
    assert row[5:8] == ["3", "3", "загружен"]


@pytest.mark.django_db(transaction=True)
def test_bad_file_shows_the_errors_with_their_place_and_writes_nothing(
    client, personas, territory, reference
):
    bad = [
        GOOD[0],
        ["zz", "ВПР", "Математика", "2024", "", "5", "5А", "S9", "", "7", "", "", "", "", ""],
    ]
    page = tree(upload(client, personas["region"], bad))
    assert page.xpath("//*[@data-testid='import-job']/@data-state") == ["failed"]
    errors = [
        [" ".join(c.itertext()).strip() for c in row.xpath("./td")]
        for row in page.xpath("//table[@data-testid='import-errors']/tbody/tr")
    ]
    assert len(errors) == 2
    assert {tuple(e[:3]) for e in errors} == {("впр.csv", "—", "3")}
    assert {e[4] for e in errors} == {"zz", "7"}
    assert not StudentResult.objects.exists()
    assert not ImportBatch.objects.exists()


def test_jobs_are_seen_only_by_their_session_and_by_importers(client, personas, territory):
    client.force_login(personas["monitoring"])
    response = client.get(reverse("results-import-progress") + "?job=" + "0" * 32)
    assert tree(response).xpath("//*[@data-testid='import-job']/@data-state") == ["missing"]
    client.force_login(personas["municipality"])
    assert client.get(reverse("results-import")).status_code == 403
    assert client.get(reverse("results-import-progress")).status_code == 403


def test_upload_form_offers_every_registered_format(client, personas, territory):
    from opora.assessment.importers import FORMATS

    client.force_login(personas["region"])
    page = tree(client.get(reverse("results-import")))
    assert page.xpath("//select[@name='format']/option/@value") == list(FORMATS)
    assert page.xpath("//input[@name='dry_run']/@type") == ["checkbox"]


def test_rollback_asks_for_confirmation_then_deletes_the_rows(client, personas, territory, results):
    client.force_login(personas["monitoring"])
    url = reverse("results-import-history")
    confirm = tree(client.get(url + f"?confirm={results.pk}"))
    assert confirm.xpath("//*[@data-testid='confirm-rollback']")
    assert StudentResult.objects.filter(batch=results).exists()
    client.post(url, {"batch": results.pk})  # no confirmation: nothing happens
    assert StudentResult.objects.filter(batch=results).exists()
    response = client.post(url, {"batch": results.pk, "confirm": "yes"})
    assert response.status_code == 302
    results.refresh_from_db()
    assert results.status == BatchStatus.ROLLED_BACK
    assert results.rolled_back_by == "p-monitoring"
    assert not StudentResult.objects.filter(batch=results).exists()
    assert not results.aggregates.exists()
    entry = AuditEntry.objects.filter(object_id=str(results.pk)).latest("pk")
    assert entry.source == AuditEntry.Source.WEB
    page = client.get(url)
    assert rows_by(page, "data-batch")[str(results.pk)][7].startswith("отменён")


def test_batch_of_another_region_is_neither_listed_nor_rolled_back(
    client, personas, territory, reference
):
    other = ImportBatch.objects.create(file_name="другой.csv", sha256="b" * 64, format="canonical")
    add_results(other, territory.c1, "vpr", "math", 5, 2024, marks=[3] * 3)
    client.force_login(personas["region"])
    url = reverse("results-import-history")
    assert str(other.pk) not in rows_by(client.get(url), "data-batch")
    client.post(url, {"batch": other.pk, "confirm": "yes"})
    other.refresh_from_db()
    assert other.status == BatchStatus.COMMITTED
    assert StudentResult.objects.filter(batch=other).count() == 3


def test_history_and_rollback_are_for_importers_only(client, personas, territory, results):
    url = reverse("results-import-history")
    for persona in ("resource", "municipality", "school", "observer"):
        client.force_login(personas[persona])
        assert client.get(url).status_code == 403, persona
        assert client.post(url, {"batch": results.pk, "confirm": "yes"}).status_code == 403
    assert StudentResult.objects.filter(batch=results).exists()


@pytest.mark.django_db(transaction=True)
def test_rcoi_protocol_takes_the_procedure_from_the_form(client, personas, territory, reference):
    from tests.assessment.forms import gia_csv

    client.force_login(personas["monitoring"])
    upload_file = SimpleUploadedFile("rcoi.csv", gia_csv(), content_type="text/csv")
    response = client.post(
        reverse("results-import"), {"file": upload_file, "format": "gia", "procedure": "ege"}
    )
    token = response["Location"].split("job=")[1]
    import_jobs.wait(token)
    page = tree(client.get(reverse("results-import-progress") + f"?job={token}"))
    assert page.xpath("//*[@data-testid='import-job']/@data-state") == ["done"]
    assert sorted(
        StudentResult.objects.values_list("procedure_id", "subject_id", "test_score")
    ) == [
        ("ege", "rus", 30),
        ("ege", "rus", 72),
    ]
    assert ImportBatch.objects.get().format == "gia"


def test_a_job_whose_process_is_gone_reads_as_interrupted(client, personas, territory):
    import os

    job = import_jobs.ImportJob(
        token="1" * 32, file_name="big.csv", format="canonical", dry_run=False, state="writing"
    )
    import_jobs.save(job)
    assert import_jobs.load(job.token).state == "writing"  # type: ignore[union-attr]
    path = import_jobs._path(job.token)
    old = path.stat().st_mtime - import_jobs.STALLED_SECONDS - 1
    os.utime(path, (old, old))
    interrupted = import_jobs.load(job.token)
    assert interrupted is not None and interrupted.state == "failed"
    assert interrupted.message.startswith("Загрузка прервана")


@pytest.mark.django_db(transaction=True)
def test_vpr_form_reports_the_absent_pupils_it_skipped(client, personas, territory, reference):
    from tests.assessment.forms import vpr_sheet, workbook

    client.force_login(personas["monitoring"])
    data = workbook({"5А": vpr_sheet()})  # four pupils wrote the work, one was absent
    upload_file = SimpleUploadedFile("a1_vpr.xlsx", data)
    response = client.post(reverse("results-import"), {"file": upload_file, "format": "vpr-form"})
    token = response["Location"].split("job=")[1]
    import_jobs.wait(token)
    page = tree(client.get(reverse("results-import-progress") + f"?job={token}"))
    assert page.xpath("//*[@data-testid='import-job']/@data-state") == ["done"]
    assert page.xpath("string(//*[@data-testid='import-skipped'])") == "1"
    assert StudentResult.objects.count() == 3


def test_admin_lists_results_with_medal_and_observers(admin_client, territory, results):
    response = admin_client.get(reverse("admin:assessment_studentresult_changelist"))
    assert response.status_code == 200
    page = tree(response)
    headers = [
        " ".join(th.itertext()).strip() for th in page.xpath("//table[@id='result_list']//th")
    ]
    assert "Медаль «За особые успехи в учении»" in headers
    assert "Под общественным наблюдением (объективность обеспечена)" in headers
    filtered = admin_client.get(
        reverse("admin:assessment_studentresult_changelist") + "?medal__exact=gold"
    )
    assert filtered.status_code == 200
