"""The home page of each role shows its overdue items; the navigation links programs; a user
creates a program of its own level only."""

from django.test import Client

from opora.accounts.models import User
from opora.programs.models import Program
from tests.conftest import Territory
from tests.programs.graph import program_graph


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_shows_overdue_items_in_scope(personas: dict[str, User], territory: Territory) -> None:
    program_graph(territory)  # every program has one activity due in September 2023
    totals = {}
    for name in ("region", "municipality", "curator", "school", "tutor"):
        page = _client(personas[name]).get("/").content.decode()
        assert 'data-testid="overdue-panel"' in page, name
        totals[name] = page.split('data-testid="overdue-total">')[1].split("<")[0]
        assert '<a href="/programs/">Программы</a>' in page and "/programs/my-tasks/" in page
    assert totals == {
        "region": "4",
        "municipality": "2",
        "curator": "1",
        "school": "1",
        "tutor": "1",
    }
    observer = _client(personas["observer"]).get("/").content.decode()
    assert "overdue-panel" not in observer and '<a href="/programs/">' not in observer


def test_create_page_offers_own_territories_only(
    personas: dict[str, User], territory: Territory
) -> None:
    coordinator = _client(personas["municipality"])
    page = coordinator.get("/programs/new/").content.decode()
    assert f'value="municipality:{territory.muni_a.pk}"' in page
    assert "school:" not in page and "region:" not in page
    wrong = coordinator.post(
        "/programs/new/",
        {
            "kind": "anti_risk",
            "owner": f"municipality:{territory.muni_a.pk}",
            "name": "Программа",
            "period_start_year": "2024",
            "period_end_year": "2025",
        },
    )
    assert "не подходит выбранной территории" in wrong.content.decode()
    response = coordinator.post(
        "/programs/new/",
        {
            "kind": "municipal",
            "owner": f"municipality:{territory.muni_a.pk}",
            "name": "Муниципальная программа",
            "period_start_year": "2024",
            "period_end_year": "2025",
        },
    )
    program = Program.objects.get(name="Муниципальная программа")
    assert response["Location"] == f"/programs/{program.pk}/"
    assert (program.level, program.municipality_id) == ("municipality", territory.muni_a.pk)
    assert _client(personas["tutor"]).get("/programs/new/").status_code == 403
