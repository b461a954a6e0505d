"""The review workflow of a program: a draft is submitted, then approved or returned with comments.

School and municipal programs go through it (DOMAIN §4, issue 5 «Workflow»); each step is a
service that checks the current status, saves and audits. A reviewer may also return a single
activity with a remark (`activity_return`) instead of the whole program; the next save of the
activity by its editors clears the flag. Who may do what is in `programs/permissions.py`.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.programs.choices import ProgramStatus
from opora.programs.models import Activity, Program

# status → the statuses a program may move to from it
TRANSITIONS: dict[str, frozenset[str]] = {
    ProgramStatus.DRAFT: frozenset({ProgramStatus.SUBMITTED}),
    ProgramStatus.RETURNED: frozenset({ProgramStatus.SUBMITTED}),
    ProgramStatus.SUBMITTED: frozenset({ProgramStatus.APPROVED, ProgramStatus.RETURNED}),
    ProgramStatus.APPROVED: frozenset({ProgramStatus.RETURNED}),
}


def _move(*, actor: Any, program: Program, to: str, comment: str, source: str) -> Program:
    locked = Program.objects.select_for_update().get(pk=program.pk)
    if to not in TRANSITIONS.get(locked.status, frozenset()):
        raise ValidationError(
            f"Программу со статусом «{locked.get_status_display()}» нельзя перевести в статус "
            f"«{ProgramStatus(to).label}»."
        )
    before = snapshot_fields(locked)
    locked.status = to
    locked.review_comment = comment
    locked.save(update_fields=["status", "review_comment", "updated_at"])
    audit_record(
        actor=actor,
        instance=locked,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(locked),
        source=source,
        comment=comment,
    )
    program.refresh_from_db()
    return locked


@transaction.atomic
def program_submit(*, actor: Any, program: Program, source: str) -> Program:
    """Send a draft (or a returned program) for review."""
    return _move(
        actor=actor, program=program, to=ProgramStatus.SUBMITTED, comment="", source=source
    )


@transaction.atomic
def program_approve(*, actor: Any, program: Program, comment: str = "", source: str) -> Program:
    """Approve a submitted program."""
    return _move(
        actor=actor, program=program, to=ProgramStatus.APPROVED, comment=comment, source=source
    )


@transaction.atomic
def program_return(*, actor: Any, program: Program, comment: str, source: str) -> Program:
    """Return a program for rework; the comment says what to fix and is required."""
    if not comment.strip():
        raise ValidationError("Укажите, что нужно доработать.")
    return _move(
        actor=actor, program=program, to=ProgramStatus.RETURNED, comment=comment, source=source
    )


@transaction.atomic
def activity_return(*, actor: Any, activity: Activity, comment: str, source: str) -> Activity:
    """Return one activity for rework with a remark; its version grows so open editors notice."""
    if not comment.strip():
        raise ValidationError("Укажите, что нужно доработать в мероприятии.")
    locked = Activity.objects.select_for_update(of=("self",)).get(pk=activity.pk)
    before = snapshot_fields(locked)
    locked.needs_rework = True
    locked.rework_comment = comment.strip()
    locked.version += 1
    locked.save(update_fields=["needs_rework", "rework_comment", "version", "updated_at"])
    audit_record(
        actor=actor,
        instance=locked,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(locked),
        source=source,
        comment=comment,
    )
    activity.refresh_from_db()
    return locked
