"""Soft deletion of programs and tracks, and restoring them (by an administrator).

A deleted program or track keeps its rows (`deleted_at`, `deleted_by`) and disappears from
every page, export and API answer; `program_restore` / `track_restore` bring it back with its
activities. Both moves are in the audit trail.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.programs.models import Activity, Program, Track


def _mark(*, actor: Any, instance: Program | Track, deleted: bool, source: str) -> None:
    before = snapshot_fields(instance)
    user = actor if getattr(actor, "is_authenticated", False) else None
    instance.deleted_at = timezone.now() if deleted else None
    instance.deleted_by = user if deleted else None
    instance.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_record(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.DELETE if deleted else AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(instance),
        source=source,
        comment="Удалено (можно восстановить)" if deleted else "Восстановлено",
    )


def deletion_summary(program: Program | None = None, track: Track | None = None) -> dict[str, int]:
    """What a deletion hides: tracks and activities (shown on the confirmation page)."""
    if track is not None:
        return {"tracks": 1, "activities": Activity.objects.filter(track=track).count()}
    assert program is not None
    return {
        "tracks": Track.objects.filter(program=program).count(),
        "activities": Activity.objects.filter(track__program=program).count(),
    }


@transaction.atomic
def program_delete(*, actor: Any, program: Program, source: str) -> Program:
    """Hide a program with its roadmap and targets; an administrator can restore it."""
    locked = Program.all_objects.select_for_update().get(pk=program.pk)
    if locked.deleted_at is not None:
        raise ValidationError("Программа уже удалена.")
    _mark(actor=actor, instance=locked, deleted=True, source=source)
    return locked


@transaction.atomic
def program_restore(*, actor: Any, program: Program, source: str) -> Program:
    locked = Program.all_objects.select_for_update().get(pk=program.pk)
    if locked.deleted_at is None:
        raise ValidationError("Программа не удалена.")
    _mark(actor=actor, instance=locked, deleted=False, source=source)
    return locked


@transaction.atomic
def track_delete(*, actor: Any, track: Track, source: str) -> Track:
    """Hide a track with its activities; an administrator can restore it."""
    locked = Track.all_objects.select_for_update().get(pk=track.pk)
    if locked.deleted_at is not None:
        raise ValidationError("Направление уже удалено.")
    _mark(actor=actor, instance=locked, deleted=True, source=source)
    return locked


@transaction.atomic
def track_restore(*, actor: Any, track: Track, source: str) -> Track:
    locked = Track.all_objects.select_for_update().get(pk=track.pk)
    if locked.deleted_at is None:
        raise ValidationError("Направление не удалено.")
    _mark(actor=actor, instance=locked, deleted=False, source=source)
    return locked
