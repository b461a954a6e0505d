"""Support pages: scoped lists, forms limited to the user's territories, read-only pages for
others, deletion with confirmation, names of schools out of scope only counted."""

from django.test import Client

from opora.accounts.models import User
from opora.core.audit import audit_entries_for
from opora.support import models as m
from tests.conftest import Territory
from tests.support.graph import support_graph


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_overview_counts_what_each_role_sees(
    personas: dict[str, User], territory: Territory
) -> None:
    support_graph(territory)

    def counts(persona: str) -> dict[str, int]:
        page = _client(personas[persona]).get("/support/").content.decode()
        return {
            slug: int(page.split(f'data-section="{slug}">')[1].split("<")[0])
            for slug in ("working-groups", "pairs", "networks", "events", "tutors")
        }

    assert counts("region") == {
        "working-groups": 2,
        "pairs": 1,
        "networks": 1,
        "events": 2,
        "tutors": 1,
    }
    assert counts("municipality") == {
        "working-groups": 1,
        "pairs": 0,
        "networks": 0,
        "events": 1,
        "tutors": 1,
    }
    assert counts("curator") == {
        "working-groups": 0,
        "pairs": 1,
        "networks": 1,
        "events": 1,
        "tutors": 0,
    }
    assert _client(personas["observer"]).get("/support/").status_code == 403


def test_event_list_names_only_schools_in_scope(
    personas: dict[str, User], territory: Territory
) -> None:
    graph = support_graph(territory)
    m.EventParticipation.objects.create(
        event=graph.master_class, school=territory.b1, participants=2
    )
    school = _client(personas["school"]).get("/support/events/").content.decode()
    assert "Школа a1" in school and "ещё школ: 2" in school
    assert "Школа a2" not in school and "Школа b1" not in school
    filtered = (
        _client(personas["region"]).get("/support/events/?kind=seminar&year=2024").content.decode()
    )
    assert "Объективность оценивания" in filtered and "Смысловое чтение" not in filtered


def test_a_coordinator_adds_an_event_with_participants(
    personas: dict[str, User], territory: Territory
) -> None:
    client = _client(personas["municipality"])
    form = client.get("/support/events/new/").content.decode()
    assert f'value="municipality:{territory.muni_a.pk}"' in form
    assert f'value="school:{territory.a1.pk}"' in form
    assert f"municipality:{territory.muni_b.pk}" not in form
    bad = client.post(
        "/support/events/new/",
        {
            "owner": f"municipality:{territory.muni_a.pk}",
            "kind": "seminar",
            "level": "municipal",
            "topic": "Семинар",
            "date_start": "2024-03-01",
            "audience": "teachers",
            "participants_total": "10",
            "participations_text": "a1; 4\nzz; 2",
        },
    )
    assert "Строка 2: школы с кодом «zz» нет в реестре." in bad.content.decode()
    good = client.post(
        "/support/events/new/",
        {
            "owner": f"municipality:{territory.muni_a.pk}",
            "kind": "seminar",
            "level": "municipal",
            "topic": "Семинар",
            "date_start": "2024-03-01",
            "audience": "teachers",
            "participants_total": "10",
            "participations_text": "a1; 4\na2; 6",
        },
    )
    assert good.status_code == 302
    event = m.Event.objects.get(topic="Семинар")
    assert sorted(event.participations.values_list("school__code", "participants")) == [
        ("a1", 4),
        ("a2", 6),
    ]
    assert event.region == territory.region
    assert [e.actor_name for e in audit_entries_for([event])] == [
        "p-municipality",
        "p-municipality",
    ]


def test_others_see_a_read_only_page_and_cannot_post(
    personas: dict[str, User], territory: Territory
) -> None:
    graph = support_graph(territory)
    url = f"/support/events/{graph.seminar.pk}/"
    curator = _client(personas["curator"])  # sees the regional seminar through school b1
    page = curator.get(url).content.decode()
    assert "Изменять запись может территория" in page
    assert curator.post(url, {"topic": "Взлом"}).status_code == 403
    assert (
        curator.post(f"/support/events/{graph.seminar.pk}/delete/", {"confirm": "yes"}).status_code
        == 403
    )
    assert _client(personas["municipality"]).get(url).status_code == 404
    graph.seminar.refresh_from_db()
    assert graph.seminar.topic == "Объективность оценивания"


def test_deletion_asks_and_is_audited(personas: dict[str, User], territory: Territory) -> None:
    graph = support_graph(territory)
    client = _client(personas["municipality"])
    url = f"/support/coordinators/{graph.coordinator_a.pk}/delete/"
    assert "Удалить «Орлова Г. Г.»?" in client.get(url).content.decode()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert not m.Coordinator.objects.filter(pk=graph.coordinator_a.pk).exists()
    entry = audit_entries_for([graph.coordinator_a])[0]
    assert (entry.action, entry.actor_name) == ("delete", "p-municipality")


def test_curators_are_assigned_by_the_region(
    personas: dict[str, User], territory: Territory
) -> None:
    coordinator = _client(personas["municipality"])
    page = coordinator.get("/support/curators/new/").content.decode()
    assert "Кураторов муниципалитетов назначает регион" in page
    assert coordinator.post("/support/curators/new/", {"full_name": "Х"}).status_code == 403
    region = _client(personas["region"])
    response = region.post(
        "/support/curators/new/",
        {
            "owner": f"municipality:{territory.muni_a.pk}",
            "full_name": "Волков С. С.",
            "username": "p-tutor",
        },
    )
    assert response.status_code == 302
    assert (
        personas["tutor"].memberships.filter(role="curator", municipality=territory.muni_a).exists()
    )


def test_a_working_group_with_members_typed_as_lines(
    personas: dict[str, User], territory: Territory
) -> None:
    client = _client(personas["municipality"])
    data = {
        "owner": f"municipality:{territory.muni_a.pk}",
        "name": "Рабочая группа",
        "members_text": "Петрова А. А.; начальник; УО; руководитель\nСидоров Б. Б.; методист; ЦРО; казначей",
    }
    bad = client.post("/support/working-groups/new/", data).content.decode()
    assert "Строка 2: роль «казначей» не распознана" in bad
    data["members_text"] = data["members_text"].replace("казначей", "секретарь")
    assert client.post("/support/working-groups/new/", data).status_code == 302
    group = m.WorkingGroup.objects.get(name="Рабочая группа")
    assert list(group.members.values_list("full_name", "role")) == [
        ("Петрова А. А.", "head"),
        ("Сидоров Б. Б.", "secretary"),
    ]


def test_navigation_links_the_support_pages(personas: dict[str, User]) -> None:
    assert (
        '<a href="/support/">Поддержка</a>' in _client(personas["tutor"]).get("/").content.decode()
    )
    assert "/support/" not in _client(personas["observer"]).get("/").content.decode()
