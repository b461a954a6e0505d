"""The roadmap import page: upload → preview with problems → fix a deadline → save."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opora.accounts.models import User
from opora.programs.models import Activity, Program
from tests.programs import files


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_upload_shows_the_preview_and_saves_nothing(
    personas: dict[str, User], program: Program
) -> None:
    upload = SimpleUploadedFile("план.docx", files.docx_000())
    response = _client(personas["municipality"]).post(
        f"/programs/{program.pk}/import/", {"file": upload}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Распознано направлений: 3, мероприятий: 8." in text
    assert "срок мероприятия 3.2 не распознан: «как получится»" in text
    assert "Информационно-аналитическое обеспечение реализации Программы" in text
    assert "01.04.2024–30.04.2024" in text
    assert not Activity.objects.exists()


def test_confirm_with_a_fixed_deadline_saves_everything(
    personas: dict[str, User], program: Program
) -> None:
    client = _client(personas["municipality"])
    upload = SimpleUploadedFile("план.docx", files.docx_000())
    text = client.post(f"/programs/{program.pk}/import/", {"file": upload}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)  # type: ignore[union-attr]
    field = re.search(r'name="(deadline-\d+)" value="как получится"', text).group(1)  # type: ignore[union-attr]
    response = client.post(
        f"/programs/{program.pk}/import/", {"token": token, field: "в течение года"}
    )
    assert response.status_code == 302
    fixed = Activity.objects.get(track__program=program, number="3.2")
    assert (fixed.deadline_text, fixed.deadline_kind) == ("в течение года", "during_year")
    assert Activity.objects.filter(track__program=program).count() == 8
    assert program.tracks.count() == 3


def test_other_files_and_foreign_tokens_are_refused(
    personas: dict[str, User], program: Program
) -> None:
    client = _client(personas["municipality"])
    upload = SimpleUploadedFile("план.pdf", b"%PDF")
    text = client.post(f"/programs/{program.pk}/import/", {"file": upload}).content.decode()
    assert "Загрузите файл DOCX или XLSX" in text
    text = client.post(
        f"/programs/{program.pk}/import/", {"token": "../../etc/passwd"}
    ).content.decode()
    assert "Файл загрузки не найден" in text
    assert not Activity.objects.exists()


def test_import_page_needs_the_edit_right_over_the_program(
    personas: dict[str, User], program: Program
) -> None:
    assert _client(personas["school"]).get(f"/programs/{program.pk}/import/").status_code == 404
    assert _client(personas["curator"]).get(f"/programs/{program.pk}/import/").status_code == 404
    assert _client(personas["region"]).get(f"/programs/{program.pk}/import/").status_code == 200
