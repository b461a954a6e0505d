"""Reporting periods: a program reports once, after the period opens; the status page lists per
municipality who has not reported and how many days late."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from opora.accounts.models import User
from opora.core.models import AuditEntry
from opora.programs.choices import ProgramKind, ProgramLevel
from opora.programs.models import ProgramReport, ReportingPeriod
from opora.programs.reporting import period_status, program_report_submit
from opora.programs.services import program_create
from tests.conftest import Territory
from tests.programs.graph import program_graph

CLI = AuditEntry.Source.CLI


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_lateness_per_municipality_missing_first(
    personas: dict[str, User], territory: Territory
) -> None:
    programs = program_graph(territory)
    a2 = program_create(
        actor=None,
        kind=ProgramKind.TRANSITION,
        name="Программа a2",
        period_start_year=2023,
        period_end_year=2024,
        school=territory.a2,
        source=CLI,
    )
    period = ReportingPeriod.objects.get(region=territory.region)  # due 29.12.2023
    program_report_submit(
        actor=None, program=a2, period=period, today=dt.date(2024, 1, 3), source=CLI
    )
    groups = period_status(personas["region"], period, today=dt.date(2024, 1, 15))
    rows = {
        group.name: [(r.program.owner_name, r.reported, r.days_late) for r in group.rows]
        for group in groups
    }
    assert rows == {
        # b1 has not reported: 17 days past the due date
        "Район Б": [("Школа b1", False, 17)],
        # a1 reported on 10.01 (12 days late, from the graph), a2 on 03.01 (5 days late)
        "Город А": [("Школа a1", True, 12), ("Школа a2", True, 5)],
    }
    assert [g.name for g in groups] == ["Район Б", "Город А"]
    coordinator = period_status(personas["municipality"], period, today=dt.date(2024, 1, 15))
    assert [g.name for g in coordinator] == ["Город А"]
    page = _client(personas["region"]).get(f"/programs/reporting/{period.pk}/").content.decode()
    assert "Должны отчитаться: 3; не отчитались: 1." in page
    late = (dt.date.today() - period.due_on).days
    assert f'data-late="{late}"' in page and 'data-missing="1"' in page
    assert programs[4].school.short_name not in page  # the other region


def test_a_report_is_sent_once_after_opening_by_the_own_level(
    personas: dict[str, User], territory: Territory
) -> None:
    programs = program_graph(territory)
    period = ReportingPeriod.objects.get(region=territory.region)
    b1 = programs[3]
    with pytest.raises(ValidationError, match=r"откроется 15\.12\.2023"):
        program_report_submit(
            actor=None, program=b1, period=period, today=dt.date(2023, 12, 1), source=CLI
        )
    with pytest.raises(ValidationError, match="уже отчиталась"):
        program_report_submit(
            actor=None, program=programs[2], period=period, today=dt.date(2024, 1, 1), source=CLI
        )
    with pytest.raises(ValidationError, match="не отчитывается"):
        program_report_submit(
            actor=None, program=programs[1], period=period, today=dt.date(2024, 1, 1), source=CLI
        )
    report = ProgramReport.objects.get(program=programs[2])
    assert report.summary == {"total": 1, "done": 0, "cancelled": 0, "overdue": 1}


def test_the_school_reports_through_its_page_and_the_region_opens_periods(
    personas: dict[str, User], territory: Territory
) -> None:
    program_graph(territory)
    a1 = _client(personas["school"])
    page = a1.get("/programs/reporting/").content.decode()
    assert "Открыть отчётный период" not in page
    region = _client(personas["region"])
    response = region.post(
        "/programs/reporting/",
        {
            "region": territory.region.pk,
            "name": "Отчёт за 2023 год",
            "level": ProgramLevel.MUNICIPALITY,
            "opens_on": "2024-01-09",
            "due_on": "2024-01-05",
        },
    )
    assert "Срок сдачи не может быть раньше открытия" in response.content.decode()
    assert not ReportingPeriod.objects.filter(name="Отчёт за 2023 год").exists()
    assert (
        _client(personas["municipality"]).post("/programs/reporting/", {"name": "x"}).status_code
        == 403
    )
