"""Territories a user may own support objects in, as form choices («region:1», «school:7»)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q

from opora.accounts.policy import scope_of
from opora.territory.models import Municipality, Region, School

LEVELS = ("region", "municipality", "school")


def owner_choices(user: Any, capability: str, levels: tuple[str, ...]) -> list[tuple[str, str]]:
    """Units at `levels` inside the user's scope for `capability` (a unit's lower units too)."""
    scope = scope_of(user, capability)
    if scope.is_empty:
        return []
    everything = Q() if scope.everything else None
    region_q = everything or Q(pk__in=scope.region_ids)
    muni_q = everything or (Q(region_id__in=scope.region_ids) | Q(pk__in=scope.municipality_ids))
    school_q = everything or (
        Q(municipality__region_id__in=scope.region_ids)
        | Q(municipality_id__in=scope.municipality_ids)
        | Q(pk__in=scope.school_ids)
    )
    choices: list[tuple[str, str]] = []
    if "region" in levels:
        choices += [
            (f"region:{r.pk}", f"Регион: {r.name}") for r in Region.objects.filter(region_q)
        ]
    if "municipality" in levels:
        choices += [
            (f"municipality:{m.pk}", m.name)
            for m in Municipality.objects.filter(muni_q).order_by("name")
        ]
    if "school" in levels:
        choices += [
            (f"school:{s.pk}", f"{s.short_name} ({s.municipality.name})")
            for s in School.objects.filter(school_q)
            .select_related("municipality")
            .order_by("municipality__name", "short_name")
        ]
    return choices


def owner_value(obj: Any) -> str:
    """The choice value of an object's owner territory."""
    if obj.school_id:
        return f"school:{obj.school_id}"
    if obj.municipality_id:
        return f"municipality:{obj.municipality_id}"
    return f"region:{obj.region_id}" if obj.region_id else ""


def apply_owner(obj: Any, value: str) -> None:
    """Set the owner territory of `obj` from a choice value; lower levels are cleared."""
    kind, _, pk = value.partition(":")
    models: dict[str, type[Model]] = {
        "region": Region,
        "municipality": Municipality,
        "school": School,
    }
    if kind not in models or not pk.isdigit():
        raise ValidationError("Неизвестная территория.")
    unit = models[kind]._default_manager.get(pk=int(pk))
    obj.school = unit if kind == "school" else None
    obj.municipality = unit if kind == "municipality" else None
    if kind == "region":
        obj.region = unit
    obj.fill_territory()
