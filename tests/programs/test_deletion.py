"""Deleting a program or a track asks for confirmation, hides it everywhere, and an
administrator restores it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from opora.accounts.models import User
from opora.core.audit import audit_entries_for
from opora.core.models import AuditEntry
from opora.programs.deletion import program_restore, track_restore
from opora.programs.models import Activity, Program, Track
from tests.conftest import Territory
from tests.programs.graph import program_graph

CLI = AuditEntry.Source.CLI


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_program_deletion_asks_then_hides_and_an_admin_restores(
    personas: dict[str, User], territory: Territory
) -> None:
    program = program_graph(territory)[1]  # municipal program of «Город А»
    coordinator = _client(personas["municipality"])
    url = f"/programs/{program.pk}/delete/"
    page = coordinator.get(url).content.decode()
    assert "Будут скрыты направлений: 1, мероприятий: 1" in page
    assert coordinator.post(url, {}).status_code == 200  # no confirmation, nothing happens
    assert Program.objects.filter(pk=program.pk).exists()
    assert _client(personas["school"]).post(url, {"confirm": "yes"}).status_code == 404
    assert _client(personas["region"]).post(url, {"confirm": "yes"}).status_code == 403
    assert coordinator.post(url, {"confirm": "yes"}).status_code == 302
    assert not Program.objects.filter(pk=program.pk).exists()
    assert Program.all_objects.filter(pk=program.pk, deleted_by=personas["municipality"]).exists()
    assert Activity.objects.filter(track__program_id=program.pk).count() == 0
    assert coordinator.get(f"/programs/{program.pk}/").status_code == 404
    assert f'href="/programs/{program.pk}/"' not in coordinator.get("/programs/").content.decode()
    api = APIClient()
    api.force_authenticate(personas["municipality"])
    assert api.get(f"/api/v1/programs/programs/{program.pk}/").status_code == 404
    entry = audit_entries_for([program])[0]
    assert (entry.action, entry.comment) == ("delete", "Удалено (можно восстановить)")

    admin = User.objects.create_superuser("root", password="pw")
    admin_client = _client(admin)
    listing = admin_client.get("/admin/programs/program/?deleted=yes").content.decode()
    assert f"/admin/programs/program/{program.pk}/change/" in listing
    response = admin_client.post(
        "/admin/programs/program/",
        {"action": "restore", "_selected_action": [str(program.pk)]},
    )
    assert response.status_code == 302
    assert Program.objects.filter(pk=program.pk).exists()
    assert Activity.objects.filter(track__program_id=program.pk).count() == 1
    assert audit_entries_for([program])[0].comment == "Восстановлено"


def test_track_deletion_hides_its_activities_until_restored(
    personas: dict[str, User], territory: Territory
) -> None:
    program = program_graph(territory)[2]  # school a1
    track = Track.objects.get(program=program)
    school = _client(personas["school"])
    assert "мероприятий: 1" in school.get(f"/programs/tracks/{track.pk}/delete/").content.decode()
    school.post(f"/programs/tracks/{track.pk}/delete/", {"confirm": "yes"})
    assert not Track.objects.filter(pk=track.pk).exists()
    assert not Activity.objects.filter(track_id=track.pk).exists()
    detail = school.get(f"/programs/{program.pk}/").content.decode()
    assert "<h3>Адресная поддержка</h3>" not in detail
    track_restore(actor=None, track=Track.all_objects.get(pk=track.pk), source=CLI)
    assert Activity.objects.filter(track_id=track.pk).count() == 1


def test_restoring_what_is_not_deleted_is_refused(territory: Territory) -> None:
    program = program_graph(territory)[0]
    with pytest.raises(ValidationError, match="не удалена"):
        program_restore(actor=None, program=program, source=CLI)
