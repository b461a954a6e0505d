"""The registry upload page: permissions, error table, preview, confirmation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opora.core.models import AuditEntry
from opora.territory.models import School, SchoolSnapshot
from tests.territory.files import school_record, table, xlsx_bytes

pytestmark = pytest.mark.django_db
URL = "/registry/import/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, records, name="реестр.xlsx", **extra):
    upload = SimpleUploadedFile(name, xlsx_bytes(table(records)))
    return client.post(URL, {"file": upload, **extra})


def test_urls_have_the_agreed_names():
    assert reverse("registry-import") == URL
    assert reverse("registry-template") == "/registry/template/"


@pytest.mark.parametrize("persona", ["municipality", "curator", "school", "observer", "nobody"])
def test_users_without_the_import_capability_get_403(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("registry-template")).status_code == 403


def test_anonymous_user_is_sent_to_login(client, territory):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_form_links_the_template_which_downloads(client, personas):
    client.force_login(personas["region"])
    page = client.get(URL)
    assert page.status_code == 200
    assert 'href="/registry/template/"' in page.content.decode()
    download = client.get(reverse("registry-template"))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.content[:2] == b"PK"


def test_file_with_errors_shows_the_error_table_and_writes_nothing(client, personas):
    client.force_login(personas["region"])
    before = (School.objects.count(), SchoolSnapshot.objects.count(), AuditEntry.objects.count())
    response = _upload(client, [school_record("n1"), school_record("n2", ovz_share="250")])
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in html and 'data-testid="confirm-form"' not in html
    assert "<td>Школы</td>" in html and "<td>3</td>" in html
    assert "«Доля обучающихся с ОВЗ, %»" in html and "<td>250</td>" in html
    after = (School.objects.count(), SchoolSnapshot.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_valid_file_previews_then_commits_on_confirmation(client, personas, territory):
    client.force_login(personas["monitoring"])
    records = [school_record("n1", 2024), school_record("a1", 2024, teachers_total=30)]
    response = _upload(client, records)
    html = response.content.decode()
    assert 'data-testid="import-preview"' in html
    assert '<th scope="row">Школы</th><td>1</td><td>1</td><td>0</td>' in html
    assert not School.objects.filter(code="n1").exists()
    token = response.context["token"]

    confirmed = client.post(URL, {"token": token}, follow=True)
    assert confirmed.status_code == 200
    assert "Реестр «реестр.xlsx» загружен: школ новых 1, изменено 1" in confirmed.content.decode()
    school = School.objects.get(code="n1")
    assert SchoolSnapshot.objects.get(school=territory.a1, year=2024).teachers_total == 30
    entry = AuditEntry.objects.get(object_id=str(school.pk), content_type__model="school")
    assert entry.source == "import" and entry.actor == personas["monitoring"]

    again = client.post(URL, {"token": token}, follow=True)
    assert "не найден или устарел" in again.content.decode()


def test_a_token_of_another_session_is_refused(client, personas, django_user_model):
    client.force_login(personas["region"])
    token = _upload(client, [school_record("n1")]).context["token"]
    client.force_login(personas["monitoring"])
    response = client.post(URL, {"token": token}, follow=True)
    assert "не найден или устарел" in response.content.decode()
    assert not School.objects.filter(code="n1").exists()


def test_regional_user_of_another_region_cannot_pick_this_region(client, personas, territory):
    from tests.conftest import make_user

    stranger = make_user("p-other", "region_admin", region=territory.other_region)
    client.force_login(stranger)
    response = _upload(client, [school_record("n1")], region=territory.region.pk)
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not School.objects.filter(code="n1").exists()
