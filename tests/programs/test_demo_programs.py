"""The demo's programs and support structure: one region (80 schools) generated for the module
in a rolled-back transaction; a second, smaller generation checks determinism."""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from opora.accounts.models import Membership
from opora.demo.context import DemoContext
from opora.demo.generator import generate_demo
from opora.demo.programs import demo_today, registry_schools
from opora.programs.choices import DeadlineKind, ProgramLevel
from opora.programs.models import Activity, Program, ProgramReport, ReportingPeriod
from opora.support import models as m
from opora.territory.models import Municipality


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoContext]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate_demo(3, schools=80)
        transaction.set_rollback(True)


def test_a_program_for_the_region_each_municipality_and_each_registry_school(
    demo: DemoContext, db: None
) -> None:
    registry = registry_schools(demo)
    own = Membership.objects.get(user__username="demo-school").school
    levels = Counter(Program.objects.values_list("level", flat=True))
    assert levels == {
        ProgramLevel.REGION: 1,
        ProgramLevel.MUNICIPALITY: Municipality.objects.count(),
        ProgramLevel.SCHOOL: len({s.pk for s in [*registry, own]}),
    }
    assert len(registry) == 3  # 15 planted low schools for 400, scaled to 80
    assert set(
        Program.objects.filter(level="school").values_list("period_start_year", "period_end_year")
    ) == {(2025, 2027)}


def test_deadlines_parse_and_statuses_are_realistic_on_the_demo_today(
    demo: DemoContext, db: None
) -> None:
    today = demo_today(demo.years)
    assert today == dt.date(2026, 3, 1)
    activities = list(Activity.objects.all())
    assert not [a.deadline_text for a in activities if a.deadline_kind == DeadlineKind.UNPARSED]
    past = [a for a in activities if a.deadline_end and a.deadline_end < today]
    overdue = [a for a in past if a.is_overdue(today)]
    done = [a for a in past if a.status == "done"]
    assert 0.05 < len(overdue) / len(past) < 0.4
    assert 0.6 < len(done) / len(past) < 0.95
    assert all(a.done_on <= today for a in activities if a.status == "done")
    assert not [
        a
        for a in activities
        if a.deadline_start and a.deadline_start > today and a.status != "planned"
    ]
    assert Activity.objects.filter(responsible_user__username="demo-school").exists()
    assert Activity.objects.filter(responsible_user__username="demo-municipality").exists()


def test_reporting_periods_have_reports_late_and_missing(demo: DemoContext, db: None) -> None:
    periods = list(ReportingPeriod.objects.order_by("opens_on"))
    assert [(p.level, p.opens_on, p.due_on) for p in periods] == [
        ("school", dt.date(2025, 12, 15), dt.date(2025, 12, 29)),
        ("municipality", dt.date(2026, 1, 9), dt.date(2026, 1, 26)),
        ("school", dt.date(2026, 5, 25), dt.date(2026, 6, 10)),
    ]
    municipal = ProgramReport.objects.filter(period=periods[1])
    assert 0 < municipal.count() < Municipality.objects.count()
    late = [
        r
        for r in ProgramReport.objects.select_related("period")
        if r.submitted_on > r.period.due_on
    ]
    assert late
    assert not ProgramReport.objects.filter(period=periods[2]).exists()


def test_support_structure_follows_the_registry_and_the_demo_users(
    demo: DemoContext, db: None
) -> None:
    registry = {s.pk for s in registry_schools(demo)}
    assert set(m.PartnerPair.objects.values_list("school_id", flat=True)) == registry
    assert not m.PartnerPair.objects.filter(partner_id__in=registry).exists()
    assert registry <= set(m.TutorAssignment.objects.values_list("school_id", flat=True))
    assert m.Coordinator.objects.count() == Municipality.objects.count()
    assert m.CuratorAssignment.objects.count() == Municipality.objects.count()
    assert Membership.objects.filter(user__username="demo-curator").count() == 2
    assert m.CuratorAssignment.objects.filter(user__username="demo-curator").count() == 2
    year = demo.years[-1]
    dates = list(m.Event.objects.values_list("date_start", flat=True))
    assert min(dates) >= dt.date(year, 9, 1) and max(dates) <= dt.date(year + 1, 5, 31)
    kinds = set(m.Event.objects.values_list("kind", flat=True))
    assert len(kinds) >= 9
    assert (
        all(
            n >= 1
            for n in m.Event.objects.values_list("participations__participants", flat=True)
            if n is not None
        )
        is not None
    )
    networks = m.MethodicalNetwork.objects.all()
    assert [n.members.count() for n in networks] == [len(registry) + 1] * 2
