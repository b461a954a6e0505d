"""Pairs created from the partner suggestions of the analysis (stored per registry school)."""

from django.test import Client

from opora.accounts.models import User
from opora.analysis.choices import ResultKind
from opora.analysis.models import RunSchoolResult
from opora.core.audit import audit_entries_for
from opora.support.models import PartnerPair
from tests.analysis.graph import analysis_graph
from tests.conftest import Territory


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_suggested_partner_becomes_a_pair(
    personas: dict[str, User], territory: Territory
) -> None:
    t = territory
    run = analysis_graph(t)[0]
    RunSchoolResult.objects.update_or_create(
        run=run,
        school=t.a2,
        kind=ResultKind.PARTNERS,
        defaults={
            "data": {
                "partners": {
                    "columns": ["target_id", "partner_id", "rank", "assigned"],
                    "rows": [[t.a2.pk, t.b2.pk, 1, False], [t.a2.pk, t.a1.pk, 2, True]],
                }
            }
        },
    )
    coordinator = _client(personas["municipality"])
    page = coordinator.get("/support/pairs/suggestions/").content.decode()
    # the assigned partner first; a partner of another municipality by its code only
    assert page.index("Школа a1") < page.index("код b2")
    assert "Школа b2" not in page
    coordinator.post("/support/pairs/suggestions/", {"school": t.a2.pk, "partner": t.c1.pk})
    assert not PartnerPair.objects.exists()  # not a suggestion: nothing happens
    coordinator.post("/support/pairs/suggestions/", {"school": t.a2.pk, "partner": t.a1.pk})
    pair = PartnerPair.objects.get()
    assert (pair.school, pair.partner, pair.origin) == (t.a2, t.a1, "suggestion")
    assert pair.origin_note == f"Анализ №{run.pk} (2024), место в списке: 2"
    assert audit_entries_for([pair])[0].actor_name == "p-municipality"
    assert "пара есть" in coordinator.get("/support/pairs/suggestions/").content.decode()
    assert _client(personas["tutor"]).get("/support/pairs/suggestions/").status_code == 403
