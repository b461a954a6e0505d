"""Writes to programs, tracks and activities. Each validates, writes and audits.

Evidence files are in `programs/evidence.py`, targets in `programs/targets.py`, deletion and
restoring in `programs/deletion.py`, the review workflow in `programs/workflow.py` and reports
in `programs/reporting.py`.

`source` is one of `opora.core.models.AuditEntry.Source` (web, api, cli, import, demo).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F

from opora.core import clock
from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.programs.choices import KIND_LEVEL, ActivityStatus, ProgramLevel
from opora.programs.deadlines import parse_deadline
from opora.programs.models import Activity, Program, Track
from opora.territory.models import Municipality, Region, School

ACTIVITY_EDITABLE = frozenset(
    {
        "number",
        "name",
        "form",
        "deadline_text",
        "deadline_kind",
        "deadline_start",
        "deadline_end",
        "responsible_org",
        "responsible_person",
        "responsible_user",
        "participants",
        "expected_result",
        "expected_value",
        "status",
        "done_on",
        "completion_comment",
        "position",
        "track",
    }
)


class ActivityConflictError(ValidationError):
    """Someone saved the activity after the editor opened it; `current` holds the values now."""

    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self.current = snapshot_fields(activity)
        super().__init__(
            "Мероприятие уже изменил другой пользователь (версия "
            f"{activity.version}). Ваши изменения не сохранены: проверьте текущие значения "
            "и внесите правки ещё раз.",
            code="conflict",
        )


def save_audited(
    *, actor: Any, instance: models.Model, source: str, comment: str = ""
) -> models.Model:
    creating = instance._state.adding
    before = None
    if not creating:
        stored = type(instance)._default_manager.get(pk=instance.pk)
        before = snapshot_fields(stored)
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(instance),
        source=source,
        comment=comment,
    )
    return instance


def _territory(
    level: str, region: Region | None, municipality: Municipality | None, school: School | None
) -> tuple[Region, Municipality | None, School | None]:
    """Fill the region and municipality of a program from the most specific territory given."""
    if level == ProgramLevel.SCHOOL:
        if school is None:
            raise ValidationError("Для школьной программы укажите школу.")
        municipality = school.municipality
        return municipality.region, municipality, school
    if level == ProgramLevel.MUNICIPALITY:
        if municipality is None:
            raise ValidationError("Для муниципальной программы укажите муниципалитет.")
        return municipality.region, municipality, None
    if region is None:
        raise ValidationError("Для региональной программы укажите регион.")
    return region, None, None


@transaction.atomic
def program_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    period_start_year: int,
    period_end_year: int,
    region: Region | None = None,
    municipality: Municipality | None = None,
    school: School | None = None,
    passport: dict[str, str] | None = None,
    source: str,
) -> Program:
    """Create a program of `kind`; its level follows from the kind, its territory from the most
    specific of `school`, `municipality`, `region`. `passport` fills the passport text fields."""
    level = KIND_LEVEL.get(kind)
    if level is None:
        raise ValidationError(f"Неизвестный вид программы: {kind}.")
    region, municipality, school = _territory(level, region, municipality, school)
    program = Program(
        level=level,
        kind=kind,
        name=name,
        period_start_year=period_start_year,
        period_end_year=period_end_year,
        region=region,
        municipality=municipality,
        school=school,
        **(passport or {}),
    )
    save_audited(actor=actor, instance=program, source=source)
    return program


PASSPORT_FIELDS = (
    "name",
    "period_start_year",
    "period_end_year",
    "developer",
    "executors",
    "normative_basis",
    "goal",
    "tasks",
    "expected_results",
    "funding",
)


@transaction.atomic
def program_update(*, actor: Any, program: Program, data: dict[str, Any], source: str) -> Program:
    """Change passport fields of a program (territory and level are fixed at creation)."""
    unknown = set(data) - set(PASSPORT_FIELDS)
    if unknown:
        raise ValidationError(f"Эти поля программы нельзя менять: {', '.join(sorted(unknown))}.")
    for name, value in data.items():
        setattr(program, name, value)
    save_audited(actor=actor, instance=program, source=source)
    return program


@transaction.atomic
def track_create(
    *, actor: Any, program: Program, name: str, position: int | None = None, source: str
) -> Track:
    """Add a track (направление) to the end of the program's roadmap unless `position` is given."""
    if position is None:
        position = (program.tracks.aggregate(m=models.Max("position"))["m"] or 0) + 1
    track = Track(program=program, name=name.strip(), position=position)
    save_audited(actor=actor, instance=track, source=source)
    return track


@transaction.atomic
def track_update(*, actor: Any, track: Track, data: dict[str, Any], source: str) -> Track:
    """Rename or move a track."""
    unknown = set(data) - {"name", "position"}
    if unknown:
        raise ValidationError(f"Эти поля направления нельзя менять: {', '.join(sorted(unknown))}.")
    for name, value in data.items():
        setattr(track, name, value.strip() if isinstance(value, str) else value)
    save_audited(actor=actor, instance=track, source=source)
    return track


def _apply_deadline(activity: Activity, program: Program, explicit: bool) -> None:
    """Parse `deadline_text` into kind and interval unless the caller gave them explicitly."""
    if explicit:
        return
    parsed = parse_deadline(
        activity.deadline_text,
        school_year=program.period_start_year,
        last_year=program.period_end_year,
    )
    activity.deadline_kind = parsed.kind.value
    activity.deadline_start = parsed.start
    activity.deadline_end = parsed.end


@transaction.atomic
def activity_create(*, actor: Any, track: Track, data: dict[str, Any], source: str) -> Activity:
    """Add an activity to `track`; the deadline is parsed from `deadline_text` unless
    `deadline_kind` is given with its interval (a user fixing the preview of an import)."""
    unknown = set(data) - ACTIVITY_EDITABLE
    if unknown:
        raise ValidationError(f"Неизвестные поля мероприятия: {', '.join(sorted(unknown))}.")
    activity = Activity(track=track, **data)
    if "position" not in data:
        activity.position = (track.activities.aggregate(m=models.Max("position"))["m"] or 0) + 1
    _apply_deadline(activity, track.program, explicit="deadline_kind" in data)
    save_audited(actor=actor, instance=activity, source=source)
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity_id: int,
    expected_version: int,
    data: dict[str, Any],
    source: str,
) -> Activity:
    """Change an activity edited from version `expected_version`.

    Raises `ActivityConflictError` carrying the current values when someone saved it in between.
    The row is locked for the check, so two simultaneous saves cannot both pass it.
    """
    unknown = set(data) - ACTIVITY_EDITABLE
    if unknown:
        raise ValidationError(f"Неизвестные поля мероприятия: {', '.join(sorted(unknown))}.")
    activity = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("track__program")
        .get(pk=activity_id)
    )
    if activity.version != expected_version:
        raise ActivityConflictError(activity)
    before = snapshot_fields(activity)
    for name, value in data.items():
        setattr(activity, name, value)
    # Saving a returned activity answers the reviewer's remark; the remark stays in the audit.
    activity.needs_rework = False
    if "deadline_text" in data and data["deadline_text"] != before["deadline_text"]:
        _apply_deadline(activity, activity.track.program, explicit="deadline_kind" in data)
    if activity.status == ActivityStatus.DONE and activity.done_on is None:
        activity.done_on = clock.today()
    activity.full_clean()
    if snapshot_fields(activity) == before:
        return activity
    activity.version = F("version") + 1
    activity.save()
    activity.refresh_from_db()
    audit_record(
        actor=actor,
        instance=activity,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(activity),
        source=source,
    )
    return activity


def activity_mark_done(
    *,
    actor: Any,
    activity_id: int,
    expected_version: int,
    done_on: dt.date | None = None,
    comment: str = "",
    source: str,
) -> Activity:
    """Put the completion mark (отметка о выполнении): status done, date and comment."""
    return activity_update(
        actor=actor,
        activity_id=activity_id,
        expected_version=expected_version,
        data={
            "status": ActivityStatus.DONE,
            "done_on": done_on or clock.today(),
            "completion_comment": comment,
        },
        source=source,
    )


def activity_set_status(
    *, actor: Any, activity_id: int, expected_version: int, status: str, source: str
) -> Activity:
    """Change the status; leaving «done» clears the completion date."""
    data: dict[str, Any] = {"status": status}
    if status != ActivityStatus.DONE:
        data["done_on"] = None
    return activity_update(
        actor=actor,
        activity_id=activity_id,
        expected_version=expected_version,
        data=data,
        source=source,
    )
