"""Support services: territory filled from the most specific unit, memberships following curator
and tutor assignments, both schools of a pair, municipalities of networks and events, audit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from opora.accounts.models import Membership, User
from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability, Role
from opora.core.audit import audit_entries_for
from opora.core.models import AuditEntry
from opora.support import models as m
from opora.support.choices import Audience, EventKind, EventLevel
from opora.support.services import (
    assignment_save,
    event_save,
    pair_save,
    support_delete,
    support_save,
)
from tests.conftest import Territory, make_user
from tests.support.graph import support_graph

CLI = AuditEntry.Source.CLI


def test_a_curator_assignment_grants_and_withdraws_the_role(territory: Territory) -> None:
    user = make_user("volkov")
    assignment = assignment_save(
        actor=None,
        instance=m.CuratorAssignment(municipality=territory.muni_b, full_name="Волков С. С."),
        username="volkov",
        source=CLI,
    )
    assert assignment.region == territory.region
    assert list(Membership.objects.filter(user=user).values_list("role", "municipality_id")) == [
        (Role.CURATOR, territory.muni_b.pk)
    ]
    assert set(objects_for(user, Capability.PROGRAM_VIEW, m.CuratorAssignment)) == {assignment}
    assignment.municipality = territory.muni_a
    assignment_save(actor=None, instance=assignment, source=CLI)
    assert list(Membership.objects.filter(user=user).values_list("municipality_id", flat=True)) == [
        territory.muni_a.pk
    ]
    support_delete(actor=None, instance=assignment, source=CLI)
    assert not Membership.objects.filter(user=user).exists()
    membership_entries = AuditEntry.objects.filter(content_type__model="membership")
    assert list(membership_entries.order_by("id").values_list("action", flat=True)) == [
        "create",
        "delete",
        "create",
        "delete",
    ]


def test_an_unknown_login_is_refused(territory: Territory) -> None:
    with pytest.raises(ValidationError, match="«nobody-here» не найден"):
        assignment_save(
            actor=None,
            instance=m.TutorAssignment(school=territory.a1, full_name="Смирнова Н. Н."),
            username="nobody-here",
            source=CLI,
        )
    assert not m.TutorAssignment.objects.exists()


def test_both_schools_of_a_pair_see_it_and_a_pair_is_two_schools(territory: Territory) -> None:
    t = territory
    pair = pair_save(actor=None, pair=m.PartnerPair(school=t.a1, partner=t.b2), source=CLI)
    assert set(pair.schools.all()) == {t.a1, t.b2}
    school_b2 = make_user("b2-admin", Role.SCHOOL_ADMIN, school=t.b2)
    assert list(objects_for(school_b2, Capability.SUPPORT_VIEW, m.PartnerPair)) == [pair]
    with pytest.raises(ValidationError, match="партнёром самой себе"):
        pair_save(actor=None, pair=m.PartnerPair(school=t.a2, partner=t.a2), source=CLI)


def test_event_participants_and_municipalities(territory: Territory) -> None:
    t = territory
    event = event_save(
        actor=None,
        event=m.Event(
            school=t.a1,
            kind=EventKind.METHODICAL_WEEK,
            level=EventLevel.SCHOOL,
            topic="Неделя математики",
            date_start=dt.date(2024, 2, 5),
            audience=Audience.TEACHERS,
        ),
        participations=[(t.b1, 3)],
        source=CLI,
    )
    assert sorted(event.participations.values_list("school__code", "participants")) == [
        ("a1", 0),
        ("b1", 3),
    ]
    assert set(event.municipalities.all()) == {t.muni_a, t.muni_b}
    entries = audit_entries_for([event])
    assert [(e.action, e.comment) for e in entries] == [
        ("update", "Участники мероприятия"),
        ("create", ""),
    ]
    with pytest.raises(ValidationError, match="раньше даты начала"):
        event.date_end = dt.date(2024, 2, 1)
        event_save(actor=None, event=event, source=CLI)


def test_constraints_keep_the_level_of_each_object(territory: Territory) -> None:
    with pytest.raises(ValidationError, match="назначается на муниципалитет"):
        support_save(
            actor=None, instance=m.Coordinator(school=territory.a1, full_name="Х"), source=CLI
        )
    with pytest.raises(ValidationError, match="ресурс региона"):
        support_save(
            actor=None, instance=m.Expert(municipality=territory.muni_a, full_name="Х"), source=CLI
        )


def test_the_graph_is_scoped_as_promised(personas: dict[str, User], territory: Territory) -> None:
    support_graph(territory)

    def seen(persona: str, model: type) -> list[str]:
        return sorted(
            str(o) for o in objects_for(personas[persona], Capability.SUPPORT_VIEW, model)
        )

    assert seen("school", m.Coordinator) == ["Орлова Г. Г."]
    assert seen("school", m.Event) == ["мастер-класс: Смысловое чтение"]
    assert seen("curator", m.Event) == ["семинар: Объективность оценивания"]
    assert seen("municipality", m.PartnerPair) == []
    assert seen("curator", m.PartnerPair) == ["Школа b1 ↔ Школа b2"]
    assert seen("tutor", m.Expert) == ["Кузнецов В. В."]
    assert len(seen("region", m.Event)) == 2
    assert seen("observer", m.Event) == []


def test_linked_schools_belong_to_the_region(territory: Territory) -> None:
    t = territory
    with pytest.raises(ValidationError, match="Школа-партнёр из другого региона: Школа c1"):
        pair_save(actor=None, pair=m.PartnerPair(school=t.a1, partner=t.c1), source=CLI)
    with pytest.raises(ValidationError, match="Школы-участники из другого региона"):
        event_save(
            actor=None,
            event=m.Event(
                municipality=t.muni_a,
                kind=EventKind.SEMINAR,
                level=EventLevel.MUNICIPAL,
                topic="Семинар",
                date_start=dt.date(2024, 3, 1),
                audience=Audience.TEACHERS,
            ),
            participations=[(t.c1, 2)],
            source=CLI,
        )
    assert not m.PartnerPair.objects.exists() and not m.Event.objects.exists()
