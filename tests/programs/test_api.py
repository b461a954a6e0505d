"""The programs API: scoped lists, activity changes with the version, 409 on a stale version."""

from rest_framework.test import APIClient

from opora.accounts.models import User
from opora.core.audit import audit_entries_for
from opora.programs.models import Activity, Program
from tests.conftest import Territory
from tests.programs.graph import program_graph

PROGRAMS = "/api/v1/programs/programs/"
ACTIVITIES = "/api/v1/programs/activities/"


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _owners(response: object) -> list[tuple[str, int | None, int | None]]:
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    rows = response.json()["results"]  # type: ignore[attr-defined]
    return sorted((r["level"], r["municipality"], r["school"]) for r in rows)


def test_programs_are_scoped_like_the_pages(
    personas: dict[str, User], territory: Territory
) -> None:
    program_graph(territory)
    t = territory
    assert _owners(api_as(personas["municipality"]).get(PROGRAMS)) == [
        ("municipality", t.muni_a.pk, None),
        ("school", t.muni_a.pk, t.a1.pk),
    ]
    assert _owners(api_as(personas["school"]).get(PROGRAMS)) == [("school", t.muni_a.pk, t.a1.pk)]
    assert len(api_as(personas["region"]).get(PROGRAMS).json()["results"]) == 4
    assert api_as(personas["observer"]).get(PROGRAMS).status_code == 403


def test_activity_change_with_the_read_version(
    personas: dict[str, User], territory: Territory
) -> None:
    program_graph(territory)
    activity = Activity.objects.get(track__program__school=territory.a1)
    client = api_as(personas["school"])
    response = client.patch(
        f"{ACTIVITIES}{activity.pk}/",
        {
            "version": 1,
            "status": "done",
            "done_on": "2023-09-28",
            "completion_comment": "Проведено",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["done_on"], body["version"]) == ("done", "2023-09-28", 2)
    assert audit_entries_for([activity])[0].source == "api"

    stale = client.patch(
        f"{ACTIVITIES}{activity.pk}/", {"version": 1, "status": "planned"}, format="json"
    )
    assert stale.status_code == 409
    assert "уже изменил другой пользователь" in stale.json()["detail"]
    assert stale.json()["current"]["status"] == "done"


def test_activity_out_of_scope_or_without_edit_right(
    personas: dict[str, User], territory: Territory
) -> None:
    program_graph(territory)
    other = Activity.objects.get(track__program__school=territory.b1)
    own = Activity.objects.get(track__program__school=territory.a1)
    change = {"version": 1, "status": "cancelled"}
    assert (
        api_as(personas["school"])
        .patch(f"{ACTIVITIES}{other.pk}/", change, format="json")
        .status_code
        == 404
    )
    assert (
        api_as(personas["tutor"]).patch(f"{ACTIVITIES}{own.pk}/", change, format="json").status_code
        == 403
    )
    assert (
        api_as(personas["school"])
        .patch(f"{ACTIVITIES}{own.pk}/", {"status": "done"}, format="json")
        .status_code
        == 400
    )
    own.refresh_from_db()
    assert own.status == "planned"


def test_tracks_endpoint_lists_tracks_in_scope(
    personas: dict[str, User], territory: Territory
) -> None:
    programs = program_graph(territory)
    rows = api_as(personas["curator"]).get("/api/v1/programs/tracks/").json()["results"]
    b1_program = next(p for p in programs if p.school_id == territory.b1.pk)
    assert [(r["program"], r["name"], r["activities_count"]) for r in rows] == [
        (b1_program.pk, "Адресная поддержка", 1)
    ]
    assert Program.objects.count() == 5
