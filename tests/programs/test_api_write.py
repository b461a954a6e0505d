"""Writes through the programs API: create, change, review and delete programs; tracks and
activities; scoped and limited to the own level (403 otherwise)."""

from rest_framework.test import APIClient

from opora.accounts.models import User
from opora.core.audit import audit_entries_for
from opora.programs.models import Activity, Program, Track
from tests.conftest import Territory
from tests.programs.graph import program_graph

PROGRAMS = "/api/v1/programs/programs/"
TRACKS = "/api/v1/programs/tracks/"
ACTIVITIES = "/api/v1/programs/activities/"


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_school_creates_and_fills_its_program(
    personas: dict[str, User], territory: Territory
) -> None:
    school = api_as(personas["school"])
    refused = school.post(
        PROGRAMS,
        {
            "kind": "anti_risk",
            "name": "Чужая",
            "period_start_year": 2024,
            "period_end_year": 2025,
            "school": territory.a2.pk,
        },
        format="json",
    )
    assert refused.status_code == 403
    created = school.post(
        PROGRAMS,
        {
            "kind": "anti_risk",
            "name": "Антирисковая программа",
            "period_start_year": 2024,
            "period_end_year": 2025,
            "school": territory.a1.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["level"], body["municipality"], body["region"], body["status"]) == (
        "school",
        territory.muni_a.pk,
        territory.region.pk,
        "draft",
    )
    track = school.post(TRACKS, {"program": body["id"], "name": "Кадры"}, format="json").json()
    activity = school.post(
        ACTIVITIES,
        {
            "track": track["id"],
            "number": "1.1",
            "name": "Курсы для учителей",
            "deadline_text": "ноябрь-декабрь",
        },
        format="json",
    )
    assert activity.status_code == 201
    assert (activity.json()["deadline_start"], activity.json()["deadline_end"]) == (
        "2024-11-01",
        "2024-12-31",
    )
    renamed = school.patch(f"{TRACKS}{track['id']}/", {"name": "Развитие кадров"}, format="json")
    assert renamed.json()["name"] == "Развитие кадров"
    program = Program.objects.get(pk=body["id"])
    assert [e.source for e in audit_entries_for([program])] == ["api"]


def test_review_moves_through_patch(personas: dict[str, User], territory: Territory) -> None:
    a1 = program_graph(territory)[2]
    school, coordinator = api_as(personas["school"]), api_as(personas["municipality"])
    url = f"{PROGRAMS}{a1.pk}/"
    assert coordinator.patch(url, {"status": "submitted"}, format="json").status_code == 403
    assert (
        school.patch(url, {"status": "submitted", "goal": "Цель"}, format="json").json()["status"]
        == "submitted"
    )
    assert school.patch(url, {"status": "approved"}, format="json").status_code == 403
    bad = coordinator.patch(url, {"status": "returned"}, format="json")
    assert bad.status_code == 400 and "что нужно доработать" in str(bad.json())
    back = coordinator.patch(
        url, {"status": "returned", "review_comment": "Уточнить"}, format="json"
    )
    assert (back.json()["status"], back.json()["review_comment"]) == ("returned", "Уточнить")


def test_a_reviewer_returns_one_activity_with_the_read_version(
    personas: dict[str, User], territory: Territory
) -> None:
    a1 = program_graph(territory)[2]
    activity = Activity.objects.get(track__program=a1)
    coordinator = api_as(personas["municipality"])
    url = f"{ACTIVITIES}{activity.pk}/"
    stale = coordinator.patch(
        url, {"version": 7, "needs_rework": True, "rework_comment": "x"}, format="json"
    )
    assert stale.status_code == 409
    done = coordinator.patch(
        url, {"version": 1, "needs_rework": True, "rework_comment": "Нет срока"}, format="json"
    )
    assert (done.json()["needs_rework"], done.json()["rework_comment"], done.json()["version"]) == (
        True,
        "Нет срока",
        2,
    )
    assert (
        api_as(personas["school"])
        .patch(url, {"version": 2, "needs_rework": True, "rework_comment": "сам"}, format="json")
        .status_code
        == 403
    )
    assert (
        coordinator.patch(
            url, {"version": 2, "status": "done", "done_on": "2023-09-10"}, format="json"
        ).status_code
        == 403
    )


def test_deleting_through_the_api_is_soft(personas: dict[str, User], territory: Territory) -> None:
    programs = program_graph(territory)
    track = Track.objects.get(program=programs[1])
    coordinator = api_as(personas["municipality"])
    assert api_as(personas["school"]).delete(f"{TRACKS}{track.pk}/").status_code == 404
    assert coordinator.delete(f"{TRACKS}{track.pk}/").status_code == 204
    assert Track.all_objects.get(pk=track.pk).deleted_at is not None
    assert coordinator.delete(f"{PROGRAMS}{programs[2].pk}/").status_code == 403
    assert coordinator.delete(f"{PROGRAMS}{programs[1].pk}/").status_code == 204
    assert coordinator.get(f"{PROGRAMS}{programs[1].pk}/").status_code == 404


def test_targets_periods_and_reports_are_read_in_scope(
    personas: dict[str, User], territory: Territory
) -> None:
    program_graph(territory)
    school = api_as(personas["school"])
    targets = school.get("/api/v1/programs/targets/").json()["results"]
    assert [(t["name"], [v["year"] for v in t["values"]]) for t in targets] == [
        ("Доля педагогов, прошедших повышение квалификации", [2023, 2024])
    ]
    periods = school.get("/api/v1/programs/periods/").json()["results"]
    assert [p["due_on"] for p in periods] == ["2023-12-29"]
    reports = school.get("/api/v1/programs/reports/").json()["results"]
    assert [(r["submitted_on"], r["summary"]["total"]) for r in reports] == [("2024-01-10", 1)]
    assert api_as(personas["curator"]).get("/api/v1/programs/reports/").json()["results"] == []
