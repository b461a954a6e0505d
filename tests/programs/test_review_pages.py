"""Review: a school submits, the municipality returns one activity or the whole program, then
approves; the region reviews municipal programs. Every step is audited."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from opora.accounts.models import User
from opora.core.audit import audit_entries_for
from opora.core.models import AuditEntry
from opora.programs.models import Activity, Program
from opora.programs.services import activity_update
from opora.programs.workflow import activity_return
from tests.conftest import Territory
from tests.programs.graph import program_graph

CLI = AuditEntry.Source.CLI


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def a1_program(territory: Territory) -> Program:
    return program_graph(territory)[2]


def test_returning_one_activity_flags_it_until_the_school_saves_it(
    personas: dict[str, User], a1_program: Program
) -> None:
    activity = Activity.objects.get(track__program=a1_program)
    response = _client(personas["municipality"]).post(
        f"/programs/activities/{activity.pk}/return/",
        {"comment": "Укажите конкретный срок проведения"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.needs_rework, activity.rework_comment, activity.version) == (
        True,
        "Укажите конкретный срок проведения",
        2,
    )
    entry = audit_entries_for([activity])[0]
    assert (entry.actor_name, entry.comment, entry.changes["needs_rework"]) == (
        "p-municipality",
        "Укажите конкретный срок проведения",
        [False, True],
    )
    page = _client(personas["school"]).get(f"/programs/{a1_program.pk}/").content.decode()
    assert "Возвращено на доработку мероприятий: 1" in page
    assert 'data-rework="1"' in page
    activity_update(
        actor=personas["school"],
        activity_id=activity.pk,
        expected_version=2,
        data={"deadline_text": "15.09.2023"},
        source=CLI,
    )
    activity.refresh_from_db()
    assert (activity.needs_rework, str(activity.deadline_end)) == (False, "2023-09-15")


def test_an_open_editor_notices_a_return(personas: dict[str, User], a1_program: Program) -> None:
    activity = Activity.objects.get(track__program=a1_program)
    activity_return(actor=None, activity=activity, comment="Доработать", source=CLI)
    response = _client(personas["school"]).post(
        f"/programs/activities/{activity.pk}/edit/",
        {"version": "1", "number": "1", "name": "Другое", "status": "planned"},
    )
    assert "Мероприятие уже изменил другой пользователь" in response.content.decode()


def test_returning_needs_a_remark(a1_program: Program) -> None:
    activity = Activity.objects.get(track__program=a1_program)
    with pytest.raises(ValidationError, match="что нужно доработать в мероприятии"):
        activity_return(actor=None, activity=activity, comment=" ", source=CLI)


def test_submit_return_approve_through_the_review_page(
    personas: dict[str, User], a1_program: Program
) -> None:
    url = f"/programs/{a1_program.pk}/review/"
    school, coordinator = _client(personas["school"]), _client(personas["municipality"])
    assert coordinator.post(url, {"action": "submit"}).status_code == 403
    assert school.post(url, {"action": "submit"}).status_code == 302
    assert school.post(url, {"action": "approve"}).status_code == 403
    page = coordinator.post(url, {"action": "return", "comment": ""})
    assert "Обязательное поле" in page.content.decode()
    assert (
        coordinator.post(url, {"action": "return", "comment": "Мало мероприятий"}).status_code
        == 302
    )
    a1_program.refresh_from_db()
    assert (a1_program.status, a1_program.review_comment) == ("returned", "Мало мероприятий")
    school.post(url, {"action": "submit"})
    coordinator.post(url, {"action": "approve", "comment": "Согласовано"})
    a1_program.refresh_from_db()
    assert a1_program.status == "approved"
    history = school.get(url).content.decode()
    assert history.count("p-municipality") == 2 and "Мало мероприятий" in history


def test_the_region_reviews_municipal_programs_not_school_ones(
    personas: dict[str, User], territory: Territory
) -> None:
    programs = program_graph(territory)
    region = _client(personas["region"])
    municipal, school_program = programs[1], programs[2]
    _client(personas["municipality"]).post(
        f"/programs/{municipal.pk}/review/", {"action": "submit"}
    )
    _client(personas["school"]).post(f"/programs/{school_program.pk}/review/", {"action": "submit"})
    assert (
        region.post(f"/programs/{school_program.pk}/review/", {"action": "approve"}).status_code
        == 403
    )
    assert (
        region.post(f"/programs/{municipal.pk}/review/", {"action": "approve"}).status_code == 302
    )
    municipal.refresh_from_db()
    assert municipal.status == "approved"
    regional_page = region.get(f"/programs/{programs[0].pk}/review/").content.decode()
    assert "не проходит рассмотрение" in regional_page
