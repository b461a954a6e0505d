"""A small graph of programs over the test territory, for the scope walk and the API tests:
a regional, a municipal and three school programs (one in the other region), each with a track,
an overdue activity with an evidence file, a target with values for two years and a budget line; a reporting
period of school programs in each region, and the report of the a1 program."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from opora.core.models import AuditEntry
from opora.programs.budget import budget_line_save
from opora.programs.choices import ProgramKind, ProgramLevel
from opora.programs.evidence import evidence_add
from opora.programs.models import BudgetLine, Program
from opora.programs.reporting import period_create, program_report_submit
from opora.programs.services import activity_create, program_create, track_create
from opora.programs.targets import target_create
from tests.conftest import Territory

DEMO = AuditEntry.Source.DEMO


def program_graph(territory: Territory) -> list[Program]:
    t = territory
    owners = [
        (ProgramKind.REGIONAL, {"region": t.region}),
        (ProgramKind.MUNICIPAL, {"municipality": t.muni_a}),
        (ProgramKind.ANTI_RISK, {"school": t.a1}),
        (ProgramKind.TRANSITION, {"school": t.b1}),
        (ProgramKind.ANTI_RISK, {"school": t.c1}),
    ]
    programs = []
    for kind, territory_kwargs in owners:
        program = program_create(
            actor=None,
            kind=kind,
            name="Программа повышения качества образования",
            period_start_year=2023,
            period_end_year=2024,
            source=DEMO,
            **territory_kwargs,  # type: ignore[arg-type]
        )
        track = track_create(actor=None, program=program, name="Адресная поддержка", source=DEMO)
        activity = activity_create(
            actor=None,
            track=track,
            data={"number": "1", "name": "Собеседование", "deadline_text": "сентябрь"},
            source=DEMO,
        )
        evidence_add(
            actor=None,
            activity=activity,
            file=ContentFile(b"%PDF-1.4 protocol", name="protocol.pdf"),
            title="Протокол",
            source=DEMO,
        )
        target_create(
            actor=None,
            program=program,
            name="Доля педагогов, прошедших повышение квалификации",
            unit="%",
            baseline_year=2022,
            baseline_value=Decimal("40"),
            values={2023: Decimal("60"), 2024: Decimal("80")},
            source=DEMO,
        )
        budget_line_save(
            actor=None,
            line=BudgetLine(
                program=program, track=track, item="Курсы", year=2023, planned=Decimal("12000")
            ),
            source=DEMO,
        )
        programs.append(program)
    for region in (t.region, t.other_region):
        period_create(
            actor=None,
            region=region,
            name="Отчёт за I полугодие 2023/24",
            level=ProgramLevel.SCHOOL,
            opens_on=dt.date(2023, 12, 15),
            due_on=dt.date(2023, 12, 29),
            source=DEMO,
        )
    period = programs[2].region.reporting_periods.get()
    program_report_submit(
        actor=None, program=programs[2], period=period, today=dt.date(2024, 1, 10), source=DEMO
    )
    return programs
