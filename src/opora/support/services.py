"""Writes to the support structure and events. Each validates, writes and audits in one
transaction; children (members, participations) are audited on their parent as lists.

A curator or tutor assignment linked to a user keeps the user's membership in step: the curator
role over the municipality, the tutor role over the school (granted on save, withdrawn when the
last assignment of that user there goes).
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from opora.accounts.models import Membership, User
from opora.accounts.roles import Role
from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.support.models import (
    CuratorAssignment,
    Event,
    EventParticipation,
    MethodicalNetwork,
    NetworkMember,
    PartnerPair,
    TutorAssignment,
    WorkingGroup,
    WorkingGroupMember,
)
from opora.support.models.base import OwnedModel
from opora.territory.models import School


def _stored(instance: models.Model) -> dict[str, Any] | None:
    if instance._state.adding or instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    return snapshot_fields(stored) if stored is not None else None


def _write(
    *, actor: Any, instance: OwnedModel, source: str, save_children: Any = None
) -> OwnedModel:
    creating = instance._state.adding
    before = _stored(instance)
    instance.fill_territory()
    instance.full_clean()
    instance.save()
    if save_children is not None:
        save_children()
    audit_record(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(instance),
        source=source,
    )
    return instance


def _same_region(instance: OwnedModel, schools: Sequence[School], what: str) -> None:
    """Schools linked to an object belong to its region."""
    instance.fill_territory()
    others = [s for s in schools if s.municipality.region_id != instance.region_id]
    if others:
        names = ", ".join(str(s) for s in others)
        raise ValidationError(f"{what} из другого региона: {names}.")


@transaction.atomic
def support_save(*, actor: Any, instance: OwnedModel, source: str) -> OwnedModel:
    """Create or change a support object without children (coordinator, expert, base school,
    consultation point)."""
    return _write(actor=actor, instance=instance, source=source)


def _user(username: str) -> User | None:
    username = username.strip()
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"user": f"Пользователь с логином «{username}» не найден."})
    return user


def _role_of(instance: CuratorAssignment | TutorAssignment) -> tuple[str, dict[str, Any]]:
    if isinstance(instance, CuratorAssignment):
        return Role.CURATOR, {"municipality_id": instance.municipality_id}
    return Role.TUTOR, {"school_id": instance.school_id}


def _sync_membership(
    *, actor: Any, instance: CuratorAssignment | TutorAssignment, grant: bool, source: str
) -> None:
    if instance.user_id is None:
        return
    role, territory = _role_of(instance)
    model = type(instance)
    others = model.objects.filter(user_id=instance.user_id, **territory).exclude(pk=instance.pk)
    membership = Membership.objects.filter(user_id=instance.user_id, role=role, **territory).first()
    if grant and membership is None:
        membership = Membership(user_id=instance.user_id, role=role, **territory)
        membership.full_clean()
        membership.save()
        audit_record(
            actor=actor,
            instance=membership,
            action=AuditEntry.Action.CREATE,
            before=None,
            after=snapshot_fields(membership),
            source=source,
            comment=f"По назначению: {instance._meta.verbose_name}",
        )
    elif not grant and membership is not None and not others.exists():
        audit_record(
            actor=actor,
            instance=membership,
            action=AuditEntry.Action.DELETE,
            before=snapshot_fields(membership),
            after=None,
            source=source,
            comment=f"Назначение снято: {instance._meta.verbose_name}",
        )
        membership.delete()


@transaction.atomic
def assignment_save(
    *,
    actor: Any,
    instance: CuratorAssignment | TutorAssignment,
    username: str | None = None,
    source: str,
) -> CuratorAssignment | TutorAssignment:
    """Save a curator or tutor assignment; `username` links (or, empty, unlinks) a user, whose
    membership follows the assignment."""
    previous = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
    if username is not None:
        instance.user = _user(username)
    _write(actor=actor, instance=instance, source=source)
    if previous is not None and (
        previous.user_id != instance.user_id or _role_of(previous) != _role_of(instance)
    ):
        _sync_membership(actor=actor, instance=previous, grant=False, source=source)
    _sync_membership(actor=actor, instance=instance, grant=True, source=source)
    return instance


@transaction.atomic
def pair_save(*, actor: Any, pair: PartnerPair, source: str) -> PartnerPair:
    """Save a partner pair; both schools see it."""
    _same_region(pair, [pair.partner], "Школа-партнёр")

    def children() -> None:
        pair.schools.set([pair.school_id, pair.partner_id])  # type: ignore[list-item]

    _write(actor=actor, instance=pair, source=source, save_children=children)
    return pair


def _member_list(network: MethodicalNetwork) -> str:
    return "; ".join(f"{m.school_id}:{m.role}" for m in network.members.order_by("school_id"))


@transaction.atomic
def network_save(
    *,
    actor: Any,
    network: MethodicalNetwork,
    members: Sequence[tuple[School, str]] | None = None,
    source: str,
) -> MethodicalNetwork:
    """Save a methodical network and, when given, replace its member schools."""
    _same_region(network, [school for school, _ in members or []], "Школы сети")
    before = {"members": _member_list(network)} if network.pk else None

    def children() -> None:
        if members is not None:
            network.members.all().delete()
            NetworkMember.objects.bulk_create(
                [NetworkMember(network=network, school=s, role=role) for s, role in members]
            )
        municipalities = {network.municipality_id} | set(
            network.members.values_list("school__municipality_id", flat=True)
        )
        network.municipalities.set([m for m in municipalities if m is not None])

    _write(actor=actor, instance=network, source=source, save_children=children)
    if members is not None:
        audit_record(
            actor=actor,
            instance=network,
            action=AuditEntry.Action.UPDATE,
            before=before or {"members": ""},
            after={"members": _member_list(network)},
            source=source,
            comment="Состав сети",
        )
    return network


@transaction.atomic
def working_group_save(
    *,
    actor: Any,
    group: WorkingGroup,
    members: Sequence[dict[str, str]] | None = None,
    source: str,
) -> WorkingGroup:
    """Save a working group and, when given, replace its members (full_name, position,
    organisation, role)."""
    before = "; ".join(str(m) for m in group.members.all()) if group.pk else ""

    def children() -> None:
        if members is None:
            return
        group.members.all().delete()
        rows = [WorkingGroupMember(group=group, **member) for member in members]
        for row in rows:
            row.full_clean(exclude=["group"])
        WorkingGroupMember.objects.bulk_create(rows)

    _write(actor=actor, instance=group, source=source, save_children=children)
    if members is not None:
        audit_record(
            actor=actor,
            instance=group,
            action=AuditEntry.Action.UPDATE,
            before={"members": before},
            after={"members": "; ".join(str(m) for m in group.members.all())},
            source=source,
            comment="Состав рабочей группы",
        )
    return group


def _participation_list(event: Event) -> str:
    rows = event.participations.order_by("school_id")
    return "; ".join(f"{p.school_id}:{p.participants}" for p in rows)


@transaction.atomic
def event_save(
    *,
    actor: Any,
    event: Event,
    participations: Sequence[tuple[School, int]] | None = None,
    source: str,
) -> Event:
    """Save an event and, when given, replace its participating schools with their counts. The
    organising school takes part in its own event."""
    _same_region(event, [school for school, _ in participations or []], "Школы-участники")
    before = {"participations": _participation_list(event)} if event.pk else None

    def children() -> None:
        if participations is not None:
            event.participations.all().delete()
            EventParticipation.objects.bulk_create(
                [
                    EventParticipation(event=event, school=s, participants=n)
                    for s, n in participations
                ]
            )
        if event.school_id is not None:
            EventParticipation.objects.get_or_create(event=event, school_id=event.school_id)
        municipalities = {event.municipality_id} | set(
            event.participations.values_list("school__municipality_id", flat=True)
        )
        event.municipalities.set([m for m in municipalities if m is not None])

    _write(actor=actor, instance=event, source=source, save_children=children)
    after = _participation_list(event)
    if before is None or before["participations"] != after:
        audit_record(
            actor=actor,
            instance=event,
            action=AuditEntry.Action.UPDATE,
            before=before or {"participations": ""},
            after={"participations": after},
            source=source,
            comment="Участники мероприятия",
        )
    return event


@transaction.atomic
def support_delete(*, actor: Any, instance: OwnedModel, source: str) -> None:
    """Delete a support object (and its children) with an audit entry; an assignment takes
    the membership it granted with it."""
    if isinstance(instance, CuratorAssignment | TutorAssignment):
        _sync_membership(actor=actor, instance=instance, grant=False, source=source)
    audit_record(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.DELETE,
        before=snapshot_fields(instance),
        after=None,
        source=source,
    )
    instance.delete()
