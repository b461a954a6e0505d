"""Reads of the support pages: scoped lists with filters, counts per section, the years of events."""

from typing import Any

from django.db.models import QuerySet

from opora.accounts.policy import objects_for
from opora.support.models import Event
from opora.support.permissions import SUPPORT_VIEW
from opora.support.sections import SECTIONS, Section
from opora.territory.models import School


def section_objects(user: Any, section: Section) -> QuerySet[Any]:
    """The objects of a section the user may see."""
    return section.queryset(objects_for(user, SUPPORT_VIEW, section.model))


def visible_school_ids(user: Any) -> set[int]:
    """Schools whose names the user may see in lists of other units' objects."""
    return set(objects_for(user, SUPPORT_VIEW, School).values_list("pk", flat=True))


def section_counts(user: Any) -> list[tuple[Section, int]]:
    return [(s, objects_for(user, SUPPORT_VIEW, s.model).count()) for s in SECTIONS.values()]


def event_filters(queryset: QuerySet[Event], params: Any) -> QuerySet[Event]:
    """Events of a year (`year`), a kind (`kind`) and a level (`level`) when asked."""
    year = str(params.get("year", ""))
    if year.isdigit():
        queryset = queryset.filter(date_start__year=int(year))
    for name in ("kind", "level"):
        value = params.get(name)
        if value:
            queryset = queryset.filter(**{name: value})
    return queryset


def event_years(user: Any) -> list[int]:
    dates = objects_for(user, SUPPORT_VIEW, Event).dates("date_start", "year", order="DESC")
    return [d.year for d in dates]
