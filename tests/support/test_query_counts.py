"""List pages do not grow their number of queries with their rows."""

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opora.accounts.models import User
from opora.core.models import AuditEntry
from opora.programs.choices import ProgramKind
from opora.programs.services import program_create
from opora.support import models as m
from opora.support.choices import Audience, EventKind, EventLevel
from opora.support.services import event_save, pair_save
from tests.conftest import Territory
from tests.programs.graph import program_graph
from tests.support.graph import support_graph

CLI = AuditEntry.Source.CLI
PAGES = [
    "/programs/",
    "/programs/rollup/",
    "/support/events/",
    "/support/pairs/",
    "/support/networks/",
    "/",
]


def _counts(client: Client) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_more_rows_same_queries(personas: dict[str, User], territory: Territory) -> None:
    t = territory
    program_graph(t)
    support_graph(t)
    client = Client()
    client.force_login(personas["region"])
    before = _counts(client)
    for index in range(3):
        program_create(
            actor=None,
            kind=ProgramKind.TRANSITION,
            name=f"Программа {index}",
            period_start_year=2024,
            period_end_year=2025,
            school=t.a2,
            source=CLI,
        )
        event_save(
            actor=None,
            event=m.Event(
                municipality=t.muni_b,
                kind=EventKind.SEMINAR,
                level=EventLevel.MUNICIPAL,
                topic=f"Семинар {index}",
                date_start=dt.date(2024, 3, 1 + index),
                audience=Audience.TEACHERS,
            ),
            participations=[(t.b1, 2), (t.b2, 3)],
            source=CLI,
        )
    pair_save(actor=None, pair=m.PartnerPair(school=t.a2, partner=t.a1), source=CLI)
    assert _counts(client) == before
