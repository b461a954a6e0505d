"""Recording changes to domain data in the audit trail.

Every service that writes domain data calls `audit_record` inside its transaction, with the
values before and after as produced by `snapshot_fields`.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from opora.core.models import AuditEntry

JsonValue = str | int | float | bool | None


def _jsonable(value: Any) -> JsonValue:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def snapshot_fields(instance: models.Model, exclude: Iterable[str] = ()) -> dict[str, JsonValue]:
    """Return the concrete field values of `instance` as JSON-ready values (FKs by id)."""
    skip = {"id", "created_at", "updated_at", *exclude}
    values: dict[str, JsonValue] = {}
    for field in instance._meta.concrete_fields:
        if field.name in skip:
            continue
        values[field.name] = _jsonable(getattr(instance, field.attname))
    return values


def diff(before: Mapping[str, JsonValue], after: Mapping[str, JsonValue]) -> dict[str, list[Any]]:
    """Return `{field: [before, after]}` for the fields whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def audit_record(
    *,
    actor: Any,
    instance: models.Model,
    action: str,
    before: Mapping[str, JsonValue] | None,
    after: Mapping[str, JsonValue] | None,
    source: str,
    comment: str = "",
) -> AuditEntry | None:
    """Store one audit entry; an update that changed nothing stores nothing and returns None."""
    changes = diff(before or {}, after or {})
    if action == AuditEntry.Action.UPDATE and not changes:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user is not None else "",
        action=action,
        source=source,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        comment=comment[:300],
    )


def audit_entries_for(instances: Iterable[models.Model]) -> "models.QuerySet[AuditEntry]":
    """Return the audit entries of the given objects, newest first."""
    from django.db.models import Q

    query = Q(pk__in=[])
    for instance in instances:
        ctype = ContentType.objects.get_for_model(instance, for_concrete_model=True)
        query |= Q(content_type=ctype, object_id=str(instance.pk))
    return AuditEntry.objects.filter(query).select_related("actor", "content_type")
