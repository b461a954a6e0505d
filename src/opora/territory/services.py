"""Writes to the territory and the school registry. Each validates, writes and audits."""

from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.territory.models import Municipality, Region, School, SchoolSnapshot, Settlement


class WriteStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def _apply(instance: models.Model, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


def _full_clean(instance: models.Model) -> None:
    """`full_clean` without querying each check constraint.

    Field validators and `clean()` mirror every check constraint (and the database enforces them
    on save), while validating a constraint costs one query: 17 for a snapshot. Unique
    constraints are still validated, so a duplicate gets a Russian message.
    """
    instance.full_clean(validate_constraints=False)
    errors: dict[str, Any] = {}
    for constraint in instance._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            try:
                constraint.validate(type(instance), instance)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _save_audited(
    *, actor: Any, instance: models.Model, data: dict[str, Any], source: str
) -> WriteStatus:
    """Validate and save `instance` with `data` applied; audit what changed."""
    creating = instance.pk is None
    before = None if creating else snapshot_fields(instance)
    _apply(instance, data)
    _full_clean(instance)
    after = snapshot_fields(instance)
    if not creating and before == after:
        return WriteStatus.UNCHANGED
    instance.save()
    audit_record(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(instance),
        source=source,
    )
    return WriteStatus.CREATED if creating else WriteStatus.UPDATED


@transaction.atomic
def region_upsert(*, actor: Any, code: str, name: str, source: str) -> tuple[Region, WriteStatus]:
    """Create the region with `code` or rename it."""
    region = Region.objects.filter(code=code).first() or Region(code=code)
    status = _save_audited(actor=actor, instance=region, data={"name": name}, source=source)
    return region, status


@transaction.atomic
def municipality_upsert(
    *, actor: Any, region: Region, code: str, data: dict[str, Any], source: str
) -> tuple[Municipality, WriteStatus]:
    """Create or update the municipality `code` of `region`."""
    municipality = Municipality.objects.filter(region=region, code=code).first() or Municipality(
        region=region, code=code
    )
    status = _save_audited(actor=actor, instance=municipality, data=data, source=source)
    return municipality, status


@transaction.atomic
def settlement_upsert(
    *, actor: Any, municipality: Municipality, name: str, data: dict[str, Any], source: str
) -> tuple[Settlement, WriteStatus]:
    """Create or update the settlement `name` of `municipality`."""
    settlement = Settlement.objects.filter(
        municipality=municipality, name=name
    ).first() or Settlement(municipality=municipality, name=name)
    status = _save_audited(actor=actor, instance=settlement, data=data, source=source)
    return settlement, status


@transaction.atomic
def school_upsert(
    *, actor: Any, code: str, data: dict[str, Any], source: str
) -> tuple[School, WriteStatus]:
    """Create the school with `code` or update its card."""
    school = School.objects.filter(code=code).first() or School(code=code)
    status = _save_audited(actor=actor, instance=school, data=data, source=source)
    return school, status


@transaction.atomic
def school_update(*, actor: Any, school: School, data: dict[str, Any], source: str) -> WriteStatus:
    """Change fields of an existing school card."""
    return _save_audited(actor=actor, instance=school, data=data, source=source)


@transaction.atomic
def snapshot_upsert(
    *, actor: Any, school: School, year: int, data: dict[str, Any], source: str
) -> tuple[SchoolSnapshot, WriteStatus]:
    """Create or update the yearly context of `school` for `year`."""
    snapshot = SchoolSnapshot.objects.filter(school=school, year=year).first() or SchoolSnapshot(
        school=school, year=year
    )
    status = _save_audited(actor=actor, instance=snapshot, data=data, source=source)
    return snapshot, status
