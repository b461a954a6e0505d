"""A small support structure over the test territory, for the scope walk and the support tests.

Region 1: a regional working group, an expert, a regional seminar with school b1; municipality A:
a working group with two members, a coordinator, a consultation point, base school a2, a tutor
of a1, a municipal master class with a1 and a2; municipality B: a curator, the pair b1 ↔ b2 and a
network of b1 and b2. The other region: a tutor of c1 and a school event of c1.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile

from opora.core.models import AuditEntry
from opora.support import models as m
from opora.support.choices import Audience, EventKind, EventLevel, NetworkRole, Problem
from opora.support.services import (
    assignment_save,
    event_save,
    network_save,
    pair_save,
    support_save,
    working_group_save,
)
from tests.conftest import Territory

DEMO = AuditEntry.Source.DEMO


@dataclass
class SupportGraph:
    group_a: m.WorkingGroup
    coordinator_a: m.Coordinator
    curator_b: m.CuratorAssignment
    tutor_a1: m.TutorAssignment
    pair_b: m.PartnerPair
    network_b: m.MethodicalNetwork
    seminar: m.Event
    master_class: m.Event
    other_event: m.Event


def _event(t: Territory, **fields: object) -> m.Event:
    defaults: dict[str, object] = {
        "audience": Audience.TEACHERS,
        "hours": 4,
        "organiser": "Институт развития образования",
    }
    return m.Event(**{**defaults, **fields})


def support_graph(territory: Territory) -> SupportGraph:
    t = territory
    working_group_save(
        actor=None,
        group=m.WorkingGroup(region=t.region, name="Региональная рабочая группа"),
        members=[
            {"full_name": "Иванова И. И.", "position": "", "organisation": "", "role": "head"}
        ],
        source=DEMO,
    )
    group_a = working_group_save(
        actor=None,
        group=m.WorkingGroup(
            region=t.region, municipality=t.muni_a, name="Рабочая группа Города А"
        ),
        members=[
            {
                "full_name": "Петрова А. А.",
                "position": "начальник",
                "organisation": "УО",
                "role": "head",
            },
            {
                "full_name": "Сидоров Б. Б.",
                "position": "методист",
                "organisation": "ЦРО",
                "role": "member",
            },
        ],
        source=DEMO,
    )
    support_save(
        actor=None,
        instance=m.Expert(region=t.region, full_name="Кузнецов В. В.", specialisation="математика"),
        source=DEMO,
    )
    coordinator_a = support_save(
        actor=None,
        instance=m.Coordinator(region=t.region, municipality=t.muni_a, full_name="Орлова Г. Г."),
        source=DEMO,
    )
    support_save(
        actor=None,
        instance=m.ConsultationPoint(
            region=t.region, municipality=t.muni_a, name="Горячая линия ГИА", topic="ГИА"
        ),
        source=DEMO,
    )
    support_save(
        actor=None,
        instance=m.BaseSchool(region=t.region, school=t.a2, problem=Problem.MATH),
        source=DEMO,
    )
    curator_b = assignment_save(
        actor=None,
        instance=m.CuratorAssignment(
            region=t.region, municipality=t.muni_b, full_name="Волков С. С."
        ),
        source=DEMO,
    )
    tutor_a1 = assignment_save(
        actor=None,
        instance=m.TutorAssignment(region=t.region, school=t.a1, full_name="Смирнова Н. Н."),
        source=DEMO,
    )
    assignment_save(
        actor=None,
        instance=m.TutorAssignment(region=t.other_region, school=t.c1, full_name="Другой Т. Т."),
        source=DEMO,
    )
    pair_b = pair_save(
        actor=None,
        pair=m.PartnerPair(
            region=t.region,
            school=t.b1,
            partner=t.b2,
            focus="математика",
            agreement_number="12",
            agreement_date=dt.date(2023, 9, 1),
            agreement_file=ContentFile(b"%PDF-1.4 agreement", name="agreement.pdf"),
        ),
        source=DEMO,
    )
    network_b = network_save(
        actor=None,
        network=m.MethodicalNetwork(
            region=t.region, municipality=t.muni_b, name="Сеть учителей математики"
        ),
        members=[(t.b1, NetworkRole.COORDINATOR), (t.b2, NetworkRole.MEMBER)],
        source=DEMO,
    )
    seminar = event_save(
        actor=None,
        event=_event(
            t,
            region=t.region,
            kind=EventKind.SEMINAR,
            level=EventLevel.REGIONAL,
            topic="Объективность оценивания",
            date_start=dt.date(2024, 2, 14),
            participants_total=30,
        ),
        participations=[(t.b1, 3)],
        source=DEMO,
    )
    master_class = event_save(
        actor=None,
        event=_event(
            t,
            region=t.region,
            municipality=t.muni_a,
            kind=EventKind.MASTER_CLASS,
            level=EventLevel.MUNICIPAL,
            topic="Смысловое чтение",
            date_start=dt.date(2024, 3, 5),
            participants_total=12,
            organiser="Управление образования",
        ),
        participations=[(t.a1, 5), (t.a2, 7)],
        source=DEMO,
    )
    other_event = event_save(
        actor=None,
        event=_event(
            t,
            region=t.other_region,
            school=t.c1,
            kind=EventKind.METHODICAL_WEEK,
            level=EventLevel.SCHOOL,
            topic="Неделя математики",
            date_start=dt.date(2024, 4, 1),
            organiser="Школа",
        ),
        source=DEMO,
    )
    return SupportGraph(
        group_a=group_a,  # type: ignore[arg-type]
        coordinator_a=coordinator_a,  # type: ignore[arg-type]
        curator_b=curator_b,  # type: ignore[arg-type]
        tutor_a1=tutor_a1,  # type: ignore[arg-type]
        pair_b=pair_b,
        network_b=network_b,
        seminar=seminar,
        master_class=master_class,
        other_event=other_event,
    )
