"""The support API: scoped reads, writes limited to the user's territory, children as lists."""

from rest_framework.test import APIClient

from opora.accounts.models import User
from opora.support import models as m
from tests.conftest import Territory
from tests.support.graph import support_graph

BASE = "/api/v1/support/"


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_reads_are_scoped(personas: dict[str, User], territory: Territory) -> None:
    support_graph(territory)
    events = api_as(personas["school"]).get(f"{BASE}events/").json()["results"]
    assert [
        (e["topic"], sorted(p["participants"] for p in e["participations"])) for e in events
    ] == [("Смысловое чтение", [5, 7])]
    pairs = api_as(personas["curator"]).get(f"{BASE}pairs/").json()["results"]
    assert [(p["school"], p["partner"], p["agreement_number"]) for p in pairs] == [
        (territory.b1.pk, territory.b2.pk, "12")
    ]
    assert api_as(personas["observer"]).get(f"{BASE}events/").status_code == 403


def test_a_school_records_its_event_but_not_another_schools(
    personas: dict[str, User], territory: Territory
) -> None:
    school = api_as(personas["school"])
    event = {
        "school": territory.a1.pk,
        "kind": "consultation",
        "level": "school",
        "topic": "Консультация тьютора",
        "date_start": "2024-02-01",
        "audience": "teachers",
        "participants_total": 5,
        "participations": [{"school": territory.a1.pk, "participants": 5}],
    }
    created = school.post(f"{BASE}events/", event, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["region"], body["municipality"], body["school"]) == (
        territory.region.pk,
        territory.muni_a.pk,
        territory.a1.pk,
    )
    assert (
        school.post(
            f"{BASE}events/", {**event, "school": territory.a2.pk}, format="json"
        ).status_code
        == 403
    )
    changed = school.patch(f"{BASE}events/{body['id']}/", {"hours": "2.5"}, format="json")
    assert changed.json()["hours"] == "2.5"
    assert (
        school.post(
            f"{BASE}pairs/", {"school": territory.a1.pk, "partner": territory.a2.pk}, format="json"
        ).status_code
        == 403
    )
    assert school.delete(f"{BASE}events/{body['id']}/").status_code == 204
    assert not m.Event.objects.filter(pk=body["id"]).exists()


def test_a_coordinator_keeps_a_network_with_members(
    personas: dict[str, User], territory: Territory
) -> None:
    coordinator = api_as(personas["municipality"])
    created = coordinator.post(
        f"{BASE}networks/",
        {
            "municipality": territory.muni_a.pk,
            "name": "Сеть учителей русского языка",
            "members": [
                {"school": territory.a1.pk, "role": "coordinator"},
                {"school": territory.a2.pk},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    network = m.MethodicalNetwork.objects.get(pk=created.json()["id"])
    assert sorted(network.members.values_list("school__code", "role")) == [
        ("a1", "coordinator"),
        ("a2", "member"),
    ]
    assert list(network.municipalities.all()) == [territory.muni_a]
    invalid = coordinator.post(
        f"{BASE}coordinators/", {"full_name": "Без территории"}, format="json"
    )
    assert invalid.status_code == 400
