"""A small graph of programs over the test territory, for the scope walk and the API tests:
a regional, a municipal and three school programs (one in the other region), each with a track and an overdue activity."""

from opora.core.models import AuditEntry
from opora.programs.choices import ProgramKind
from opora.programs.models import Program
from opora.programs.services import activity_create, program_create, track_create
from tests.conftest import Territory


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
            source=AuditEntry.Source.DEMO,
            **territory_kwargs,  # type: ignore[arg-type]
        )
        track = track_create(
            actor=None, program=program, name="Адресная поддержка", source=AuditEntry.Source.DEMO
        )
        activity_create(
            actor=None,
            track=track,
            data={"number": "1", "name": "Собеседование", "deadline_text": "сентябрь"},
            source=AuditEntry.Source.DEMO,
        )
        programs.append(program)
    return programs
