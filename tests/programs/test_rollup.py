"""The roll-up of execution per municipality and program, in scope."""

import datetime as dt

from django.test import Client

from opora.accounts.models import User
from opora.core.models import AuditEntry
from opora.programs.models import Activity, Track
from opora.programs.rollup import rollup
from opora.programs.services import activity_create, activity_mark_done
from tests.conftest import Territory
from tests.programs.graph import program_graph

CLI = AuditEntry.Source.CLI


def test_rollup_counts_per_area(personas: dict[str, User], territory: Territory) -> None:
    programs = program_graph(territory)  # one activity each, due September 2023
    track = Track.objects.get(program=programs[2])
    activity_create(
        actor=None, track=track, data={"name": "Педсовет", "deadline_text": "май 2024"}, source=CLI
    )
    first = Activity.objects.get(track=track, name="Собеседование")
    activity_mark_done(
        actor=None,
        activity_id=first.pk,
        expected_version=1,
        done_on=dt.date(2023, 9, 20),
        source=CLI,
    )
    areas, total = rollup(personas["region"], dt.date(2024, 1, 15))
    summary = [
        (
            area.name,
            [(p.owner_name, e.total, e.done, e.overdue, e.done_share) for p, e in area.rows],
        )
        for area in areas
    ]
    assert summary == [
        ("Тестовая область: региональные программы", [("Тестовая область", 1, 0, 1, 0.0)]),
        ("Город А", [("Город А", 1, 0, 1, 0.0), ("Школа a1", 2, 1, 0, 100.0)]),
        ("Район Б", [("Школа b1", 1, 0, 1, 0.0)]),
    ]
    assert (total.total, total.done, total.overdue, total.due) == (5, 1, 3, 4)
    coordinator_areas, _ = rollup(personas["municipality"], dt.date(2024, 1, 15))
    assert [a.name for a in coordinator_areas] == ["Город А"]
    client = Client()
    client.force_login(personas["municipality"])
    page = client.get("/programs/rollup/").content.decode()
    assert (
        'data-area="Город А"' in page and "Район Б" not in page and 'data-total="Город А"' in page
    )
