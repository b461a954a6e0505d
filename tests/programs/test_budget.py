"""The budget (смета) of a program: lines by group of activities, planned versus spent."""

from decimal import Decimal

from django.test import Client

from opora.accounts.models import User
from opora.core.audit import audit_entries_for
from opora.programs.models import BudgetLine
from tests.conftest import Territory
from tests.programs.graph import program_graph


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_adds_lines_and_sees_totals_per_group(
    personas: dict[str, User], territory: Territory
) -> None:
    program = program_graph(territory)[1]  # «Город А», a line «Курсы» 12 000 in its track
    client = _client(personas["municipality"])
    url = f"/programs/{program.pk}/budget/"
    bad = client.post(url, {"item": "Оборудование", "year": "2024", "planned": "-5"})
    assert "Суммы не могут быть отрицательными." in bad.content.decode()
    response = client.post(
        url,
        {"item": "Семинары", "year": "2024", "planned": "3000,50", "spent": "1000"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-group="Адресная поддержка"' in page and 'data-group="Программа в целом"' in page
    assert "15\xa0000,50" in page and "1\xa0000,00" in page
    line = BudgetLine.objects.get(item="Семинары")
    assert (line.track, line.planned, line.spent) == (None, Decimal("3000.50"), Decimal("1000.00"))
    assert [e.actor_name for e in audit_entries_for([line])] == ["p-municipality"]
    assert client.post(url, {"delete": str(line.pk)}).status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()
    assert (
        _client(personas["region"])
        .post(url, {"item": "x", "year": "2024", "planned": "1"})
        .status_code
        == 403
    )
