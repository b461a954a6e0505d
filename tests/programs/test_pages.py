"""Program pages: scoped list, roadmap with overdue rows, activity edit with the lock, my tasks."""

import datetime as dt

import pytest
from django.test import Client

from opora.accounts.models import User
from opora.core.models import AuditEntry
from opora.programs.choices import ProgramKind
from opora.programs.models import Activity, Program, Track
from opora.programs.services import (
    activity_create,
    activity_update,
    program_create,
)
from tests.conftest import Territory

CLI = AuditEntry.Source.CLI


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def school_program(territory: Territory) -> Program:
    return program_create(
        actor=None,
        kind=ProgramKind.ANTI_RISK,
        name="Антирисковая программа школы a1",
        period_start_year=2023,
        period_end_year=2024,
        school=territory.a1,
        source=CLI,
    )


@pytest.fixture
def other_program(territory: Territory) -> Program:
    return program_create(
        actor=None,
        kind=ProgramKind.MUNICIPAL,
        name="Муниципальная программа района Б",
        period_start_year=2023,
        period_end_year=2024,
        municipality=territory.muni_b,
        source=CLI,
    )


@pytest.fixture
def activities(track: Track, personas: dict[str, User]) -> list[Activity]:
    old = activity_create(
        actor=None,
        track=track,
        data={
            "number": "1",
            "name": "Анализ результатов ГИА выпускников",
            "deadline_text": "сентябрь 2023 год",
            "responsible_user": personas["municipality"],
        },
        source=CLI,
    )
    future = activity_create(
        actor=None,
        track=track,
        data={
            "number": "2",
            "name": "Собеседования с административными командами",
            "deadline_text": f"май {dt.date.today().year + 1}",
            "responsible_user": personas["municipality"],
        },
        source=CLI,
    )
    return [old, future]


def test_list_shows_programs_in_scope_only(
    personas: dict[str, User], program: Program, school_program: Program, other_program: Program
) -> None:
    expectations = {
        "region": {program.name, school_program.name, other_program.name},
        "municipality": {program.name, school_program.name},
        "school": {school_program.name},
        "curator": {other_program.name},
    }
    for persona, visible in expectations.items():
        text = _client(personas[persona]).get("/programs/").content.decode()
        shown = {p.name for p in (program, school_program, other_program) if p.name in text}
        assert shown == visible, persona
    assert _client(personas["observer"]).get("/programs/").status_code == 403


def test_program_page_groups_by_track_and_marks_overdue(
    personas: dict[str, User], program: Program, activities: list[Activity]
) -> None:
    response = _client(personas["municipality"]).get(f"/programs/{program.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Объективность оценки качества подготовки обучающихся" in text
    assert text.count('data-overdue="1"') == 1
    assert "Просрочено мероприятий: 1" in text
    assert f"/programs/activities/{activities[0].pk}/edit/" in text


def test_program_out_of_scope_is_not_found(
    personas: dict[str, User], other_program: Program
) -> None:
    client = _client(personas["municipality"])
    assert client.get(f"/programs/{other_program.pk}/").status_code == 404
    assert client.get(f"/programs/{other_program.pk}/roadmap.xlsx").status_code == 404


def test_activity_edit_saves_through_the_service(
    personas: dict[str, User], activities: list[Activity]
) -> None:
    activity = activities[0]
    client = _client(personas["municipality"])
    data = {
        "version": "1",
        "number": "1",
        "name": activity.name,
        "deadline_text": "октябрь 2023 год",
        "status": "done",
        "done_on": "2023-10-20",
        "completion_comment": "Проведено",
    }
    response = client.post(f"/programs/activities/{activity.pk}/edit/", data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.version, str(activity.deadline_end)) == (
        "done",
        2,
        "2023-10-31",
    )


def test_stale_edit_shows_the_conflict_and_current_values(
    personas: dict[str, User], activities: list[Activity]
) -> None:
    activity = activities[0]
    activity_update(
        actor=None,
        activity_id=activity.pk,
        expected_version=1,
        data={"responsible_org": "Отдел общего образования"},
        source=CLI,
    )
    data = {"version": "1", "number": "1", "name": "Чужая правка", "status": "planned"}
    response = _client(personas["municipality"]).post(
        f"/programs/activities/{activity.pk}/edit/", data
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Мероприятие уже изменил другой пользователь" in text
    assert 'value="Отдел общего образования"' in text
    assert 'name="version" value="2"' in text
    activity.refresh_from_db()
    assert activity.name == "Анализ результатов ГИА выпускников"


def test_school_admin_cannot_edit_a_municipal_activity(
    personas: dict[str, User], activities: list[Activity]
) -> None:
    url = f"/programs/activities/{activities[0].pk}/edit/"
    assert _client(personas["school"]).get(url).status_code == 404


def test_my_tasks_lists_overdue_first(
    personas: dict[str, User], activities: list[Activity]
) -> None:
    text = _client(personas["municipality"]).get("/programs/my-tasks/").content.decode()
    assert text.index("Анализ результатов ГИА") < text.index("Собеседования с административными")
    assert text.count('data-overdue="1"') == 1
    other = _client(personas["region"]).get("/programs/my-tasks/").content.decode()
    assert "Открытых мероприятий, за которые вы отвечаете, нет." in other


def test_exports_download_from_the_program_page(
    personas: dict[str, User], program: Program, activities: list[Activity]
) -> None:
    client = _client(personas["region"])
    for suffix in ("roadmap.xlsx", "roadmap.docx", "passport.docx"):
        response = client.get(f"/programs/{program.pk}/{suffix}")
        assert response.status_code == 200
        assert response.content[:2] == b"PK"
        assert "attachment" in response["Content-Disposition"]
