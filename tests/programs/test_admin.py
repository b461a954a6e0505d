"""The admin pages of programs open for a superuser."""

from django.test import Client

from opora.accounts.models import User
from opora.programs.models import Program, Track
from opora.programs.services import activity_create


def test_admin_lists_and_change_pages_open(program: Program, track: Track) -> None:
    activity = activity_create(
        actor=None, track=track, data={"number": "1", "name": "Анализ"}, source="cli"
    )
    admin = User.objects.create_superuser("root", password="pw")
    client = Client()
    client.force_login(admin)
    for url in (
        "/admin/programs/program/",
        f"/admin/programs/program/{program.pk}/change/",
        "/admin/programs/activity/",
        f"/admin/programs/activity/{activity.pk}/change/",
        "/admin/programs/programtarget/",
    ):
        assert client.get(url).status_code == 200, url
