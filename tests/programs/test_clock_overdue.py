"""Overdue counts from the application's clock (OPORA_TODAY), not from the real date."""

import datetime as dt

from django.test import Client
from pytest_django.fixtures import Settings

from opora.accounts.models import User
from opora.core.models import AuditEntry
from opora.programs.models import Activity, Track
from opora.programs.services import activity_create, activity_mark_done


def _activity(track: Track, user: User) -> Activity:
    return activity_create(
        actor=None,
        track=track,
        data={
            "number": "1",
            "name": "Анализ результатов ГИА выпускников",
            "deadline_text": "сентябрь 2023 год",
            "responsible_user": user,
        },
        source=AuditEntry.Source.CLI,
    )


def test_deadline_passed_in_reality_but_not_on_opora_today_is_not_overdue(
    settings: Settings, personas: dict[str, User], track: Track
) -> None:
    activity = _activity(track, personas["municipality"])
    assert activity.deadline_end == dt.date(2023, 9, 30)
    client = Client()
    client.force_login(personas["municipality"])

    settings.OPORA_TODAY = None
    text = client.get("/programs/my-tasks/").content.decode()
    assert text.count('data-overdue="1"') == 1
    assert 'data-testid="fixed-today"' not in text

    settings.OPORA_TODAY = dt.date(2023, 9, 1)
    text = client.get("/programs/my-tasks/").content.decode()
    assert "Анализ результатов ГИА выпускников" in text
    assert text.count('data-overdue="1"') == 0
    assert "Дата для расчёта сроков: 01.09.2023" in text
    roadmap = client.get(f"/programs/{track.program_id}/").content.decode()
    assert 'data-overdue="1"' not in roadmap

    done = activity_mark_done(
        actor=None,
        activity_id=activity.pk,
        expected_version=activity.version,
        source=AuditEntry.Source.CLI,
    )
    assert done.done_on == dt.date(2023, 9, 1)
