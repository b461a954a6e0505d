"""Who may change, review and mark: own level edits, the level above reviews, the responsible
person marks; pages show others a read-only view and refuse their POST."""

from django.test import Client

from opora.accounts.models import User
from opora.core.models import AuditEntry
from opora.programs.models import Activity, Program
from opora.programs.permissions import can_edit_program, can_mark_activity, can_review_program
from opora.programs.services import activity_update
from tests.conftest import Territory, make_user
from tests.programs.graph import program_graph

CLI = AuditEntry.Source.CLI


def _by_owner(programs: list[Program]) -> dict[str, Program]:
    return dict(zip(["region", "muni_a", "a1", "b1", "c1"], programs, strict=True))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_level_edits_its_own_program_only(
    personas: dict[str, User], territory: Territory
) -> None:
    p = _by_owner(program_graph(territory))
    editable = {
        name: sorted(owner for owner, program in p.items() if can_edit_program(user, program))
        for name, user in personas.items()
    }
    assert editable == {
        "region": ["region"],
        "resource": ["region"],
        "monitoring": [],
        "municipality": ["muni_a"],
        "curator": [],
        "tutor": [],
        "school": ["a1"],
        "observer": [],
        "nobody": [],
    }


def test_the_level_above_reviews(personas: dict[str, User], territory: Territory) -> None:
    p = _by_owner(program_graph(territory))
    reviewable = {
        name: sorted(owner for owner, program in p.items() if can_review_program(user, program))
        for name, user in personas.items()
    }
    assert reviewable["region"] == ["muni_a"]
    assert reviewable["municipality"] == ["a1"]
    assert [name for name, owners in reviewable.items() if owners] == ["region", "municipality"]
    root = User.objects.create_superuser("root", password="pw")
    assert sorted(o for o, program in p.items() if can_review_program(root, program)) == [
        "a1",
        "b1",
        "c1",
        "muni_a",
    ]


def test_the_responsible_person_may_mark_an_activity_of_a_program_in_view(
    personas: dict[str, User], territory: Territory
) -> None:
    p = _by_owner(program_graph(territory))
    activity = Activity.objects.get(track__program=p["b1"])
    curator = personas["curator"]
    assert not can_mark_activity(curator, activity)
    activity_update(
        actor=None,
        activity_id=activity.pk,
        expected_version=1,
        data={"responsible_user": curator},
        source=CLI,
    )
    activity.refresh_from_db()
    assert can_mark_activity(curator, activity)
    assert not can_mark_activity(personas["tutor"], activity)  # a1 tutor does not see b1
    client = _client(curator)
    page = client.get(f"/programs/activities/{activity.pk}/")
    assert "Отметка о выполнении" in page.content.decode()
    response = client.post(
        f"/programs/activities/{activity.pk}/edit/",
        {"version": "2", "status": "done", "done_on": "2023-09-20", "completion_comment": "Да"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, str(activity.done_on), activity.version) == ("done", "2023-09-20", 3)


def test_others_in_scope_see_the_activity_but_cannot_change_it(
    personas: dict[str, User], territory: Territory
) -> None:
    p = _by_owner(program_graph(territory))
    activity = Activity.objects.get(track__program=p["a1"])
    coordinator = _client(personas["municipality"])
    page = coordinator.get(f"/programs/activities/{activity.pk}/edit/").content.decode()
    assert "Изменять мероприятие может администрация школы" in page
    assert "Вернуть мероприятие на доработку" in page  # the municipality reviews a1
    refused = coordinator.post(
        f"/programs/activities/{activity.pk}/edit/", {"version": "1", "status": "cancelled"}
    )
    assert refused.status_code == 403
    tutor = _client(personas["tutor"])
    assert tutor.get(f"/programs/activities/{activity.pk}/").status_code == 200
    assert (
        tutor.post(f"/programs/activities/{activity.pk}/return/", {"comment": "x"}).status_code
        == 403
    )
    activity.refresh_from_db()
    assert (activity.status, activity.needs_rework) == ("planned", False)


def test_observer_and_strangers_get_nothing(
    personas: dict[str, User], territory: Territory
) -> None:
    program_graph(territory)
    assert _client(personas["observer"]).get("/programs/").status_code == 403
    assert _client(make_user("stranger")).get("/programs/reporting/").status_code == 403


def test_the_owner_names_a_responsible_user_who_sees_the_program(
    personas: dict[str, User], territory: Territory
) -> None:
    p = _by_owner(program_graph(territory))
    activity = Activity.objects.get(track__program=p["a1"])
    school = _client(personas["school"])
    url = f"/programs/activities/{activity.pk}/edit/"
    data = {"version": "1", "number": "1", "name": "Собеседование", "status": "planned"}
    refused = school.post(url, {**data, "responsible_login": "p-curator"}).content.decode()
    assert "Пользователь «p-curator» не видит эту программу." in refused
    assert school.post(url, {**data, "responsible_login": "p-tutor"}).status_code == 302
    activity.refresh_from_db()
    assert activity.responsible_user == personas["tutor"]
    tasks = _client(personas["tutor"]).get("/programs/my-tasks/").content.decode()
    assert "Собеседование" in tasks
    page = school.get(url).content.decode()
    assert 'name="responsible_login" value="p-tutor"' in page
