"""The change history (audit trail) of registry objects in the user's scope, ready to show."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from opora.accounts.policy import objects_for, scope_of
from opora.accounts.roles import Capability
from opora.core.models import AuditEntry
from opora.territory.models import Municipality, School, SchoolSnapshot, Settlement


def _ids_as_text(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Primary keys as text, to match `AuditEntry.object_id` inside one SQL query."""
    return queryset.order_by().annotate(object_key=Cast("pk", CharField())).values("object_key")


def _entries_of(model: type[models.Model], queryset: QuerySet[Any]) -> Q:
    ctype = ContentType.objects.get_for_model(model)
    return Q(content_type=ctype, object_id__in=_ids_as_text(queryset))


def history_entries(
    user: Any, *, school: School | None = None, search: str = ""
) -> QuerySet[AuditEntry]:
    """Audit entries of schools and snapshots in the user's AUDIT_VIEW scope, newest first.

    Users with a regional or municipal scope also see changes of municipalities and settlements.
    With `school` (or a `search` over school names and codes), only the entries of the matching
    schools and their snapshots.
    """
    schools = objects_for(user, Capability.AUDIT_VIEW, School)
    only_schools = school is not None or bool(search)
    if school is not None:
        schools = schools.filter(pk=school.pk)
    if search:
        schools = schools.filter(Q(short_name__icontains=search) | Q(code__icontains=search))
    snapshots = objects_for(user, Capability.AUDIT_VIEW, SchoolSnapshot).filter(
        school__in=schools.values("pk")
    )
    query = _entries_of(School, schools) | _entries_of(SchoolSnapshot, snapshots)
    scope = scope_of(user, Capability.AUDIT_VIEW)
    territorial = scope.everything or scope.region_ids or scope.municipality_ids
    if not only_schools and territorial:
        municipalities = objects_for(user, Capability.AUDIT_VIEW, Municipality)
        if not scope.everything:
            municipalities = municipalities.filter(
                Q(region__in=scope.region_ids) | Q(pk__in=scope.municipality_ids)
            )
        settlements = objects_for(user, Capability.AUDIT_VIEW, Settlement).filter(
            municipality__in=municipalities.values("pk")
        )
        query |= _entries_of(Municipality, municipalities) | _entries_of(Settlement, settlements)
    return AuditEntry.objects.filter(query).select_related("content_type").order_by("-at", "-id")


@dataclass
class Change:
    """One field of an audit entry: Russian label and the values before and after, as text."""

    label: str
    before: str
    after: str


Names = dict[tuple[type[models.Model], str], str]


def _display(model_field: Any, value: Any, names: Names | None = None) -> str:
    if value is None or value == "":
        return "—"
    if model_field is not None and model_field.is_relation and names is not None:
        return names.get((model_field.related_model, str(value)), f"№ {value}")
    if isinstance(value, bool):
        return "да" if value else "нет"
    choices = dict(getattr(model_field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if (
        isinstance(value, str)
        and model_field is not None
        and model_field.get_internal_type() == "DecimalField"
    ):
        return value.replace(".", ",")
    return str(value)


def _fields(entry: AuditEntry) -> Iterator[tuple[str, Any, Any, Any]]:
    """(field name, model field or None, before, after) of each change of an entry."""
    model = entry.content_type.model_class()
    for name, pair in (entry.changes or {}).items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        if entry.action == AuditEntry.Action.CREATE and after in (None, ""):
            continue
        try:
            model_field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            model_field = None
        yield name, model_field, before, after


def entry_changes(entry: AuditEntry, names: Names | None = None) -> list[Change]:
    """The changes of an entry with Russian field labels and readable values.

    `names` maps (related model, id) to a name, to show a municipality or a settlement by name.
    """
    return [
        Change(
            label=str(getattr(model_field, "verbose_name", name)),
            before=_display(model_field, before, names),
            after=_display(model_field, after, names),
        )
        for name, model_field, before, after in _fields(entry)
    ]


def _related_names(entries: list[AuditEntry]) -> Names:
    """Names of the objects that changed foreign keys point to: one query per related model."""
    wanted: dict[type[models.Model], set[str]] = {}
    for entry in entries:
        for _, model_field, before, after in _fields(entry):
            if model_field is not None and model_field.is_relation:
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(str(v) for v in (before, after) if v not in (None, ""))
    names: Names = {}
    for model, ids in wanted.items():
        numeric = [int(i) for i in ids if i.isdigit()]
        for obj in model._default_manager.filter(pk__in=numeric):
            names[(model, str(obj.pk))] = str(obj)
    return names


def with_changes(entries: Any) -> list[tuple[AuditEntry, list[Change]]]:
    """Pairs of entries and their readable changes (for a page of entries)."""
    entries = list(entries)
    names = _related_names(entries)
    return [(entry, entry_changes(entry, names)) for entry in entries]
