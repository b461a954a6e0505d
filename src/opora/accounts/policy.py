"""The one place that answers who may see and do what.

`objects_for(user, capability, Model)` builds every scoped queryset of the application: pages, API
endpoints and commands call it instead of `Model.objects`. `user_can` answers yes/no questions for
buttons and writes. A model takes part by registering how it reaches the territory with
`register_scope`.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from opora.accounts.roles import ROLE_CAPABILITIES, ROLE_LEVEL, Level

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class ScopePaths:
    """Lookup paths from a model to the ids of its region, municipality and school."""

    region: str | None
    municipality: str | None
    school: str | None


@dataclass(frozen=True)
class Scope:
    """The territory over which a user holds a capability."""

    everything: bool = False
    region_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()
    school_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_ids or self.municipality_ids or self.school_ids)


_SCOPES: dict[type[models.Model], ScopePaths] = {}


def register_scope(
    model: type[models.Model],
    *,
    region: str | None,
    municipality: str | None,
    school: str | None,
) -> None:
    """Declare how `model` reaches the territory, e.g. `school="school", municipality=...`."""
    _SCOPES[model] = ScopePaths(region=region, municipality=municipality, school=school)


def registered_models() -> list[type[models.Model]]:
    """Every model with a registered scope (used by the scope tests)."""
    return list(_SCOPES)


def _memberships(user: Any) -> list[tuple[str, int | None, int | None, int | None]]:
    cached = getattr(user, "_opora_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.values_list("role", "region_id", "municipality_id", "school_id")
        )
        user._opora_memberships = cached
    return cached


def scope_of(user: Any, capability: str) -> Scope:
    """The territory over which `user` holds `capability`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    regions: set[int] = set()
    municipalities: set[int] = set()
    schools: set[int] = set()
    for role, region_id, municipality_id, school_id in _memberships(user):
        if capability not in ROLE_CAPABILITIES.get(role, frozenset()):
            continue
        level = ROLE_LEVEL[role]
        if level == Level.REGION and region_id:
            regions.add(region_id)
        elif level == Level.MUNICIPALITY and municipality_id:
            municipalities.add(municipality_id)
        elif level == Level.SCHOOL and school_id:
            schools.add(school_id)
    return Scope(
        region_ids=frozenset(regions),
        municipality_ids=frozenset(municipalities),
        school_ids=frozenset(schools),
    )


def _restrict(queryset: QuerySet[M], scope: Scope) -> QuerySet[M]:
    if scope.everything:
        return queryset
    if scope.is_empty:
        return queryset.none()
    paths = _SCOPES.get(queryset.model)
    if paths is None:
        raise LookupError(f"No scope registered for {queryset.model.__name__}")
    query = Q(pk__in=[])
    for path, ids in (
        (paths.region, scope.region_ids),
        (paths.municipality, scope.municipality_ids),
        (paths.school, scope.school_ids),
    ):
        if path and ids:
            query |= Q(**{f"{path}__in": sorted(ids)})
    matching = queryset.model._default_manager.filter(query).values("pk")
    return queryset.filter(pk__in=matching)


def objects_for(
    user: Any, capability: str, model_or_queryset: type[M] | QuerySet[M]
) -> QuerySet[M]:
    """The objects of a model (or a queryset) that `user` may access with `capability`."""
    if isinstance(model_or_queryset, QuerySet):
        queryset = model_or_queryset
    else:
        queryset = model_or_queryset._default_manager.all()
    return _restrict(queryset, scope_of(user, capability))


def object_for(
    user: Any, capability: str, model_or_queryset: type[M] | QuerySet[M], **lookup: Any
) -> M:
    """One object in scope, or Http404 — out-of-scope objects do not exist for the user."""
    try:
        return objects_for(user, capability, model_or_queryset).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Объект не найден или недоступен") from exc


def user_can(user: Any, capability: str, obj: models.Model | None = None) -> bool:
    """Whether `user` holds `capability`, over `obj` when one is given."""
    scope = scope_of(user, capability)
    if scope.is_empty:
        return False
    if obj is None or scope.everything:
        return True
    return _restrict(type(obj)._default_manager.filter(pk=obj.pk), scope).exists()
