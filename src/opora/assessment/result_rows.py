"""Reads: flat rows of result figures per unit, group and year, as the API serves them.

The units are a queryset already scoped by the caller (`objects_for`); figures are computed with
the same tallies and the same suppression as the pages (`figures`, `disclosure`).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from opora.assessment.disclosure import Figure, Unit, periods, viewer_for
from opora.assessment.figures import Group, catalogue, tallies

_UNIT_WHERE = {
    "school": "school__in",
    "municipality": "school__municipality__in",
    "region": "school__municipality__region__in",
}


@dataclass(frozen=True)
class RowFilters:
    """Filters of the aggregate endpoints; empty values filter nothing."""

    year: int | None = None
    procedure: str = ""
    subject: str = ""
    grade: int | None = None


@dataclass
class FigureRow:
    """The figures of one unit, group and year."""

    unit: Unit
    code: str
    group: Group
    year: int
    figure: Figure


def _units(level: str, units: QuerySet[Any], ids: set[int]) -> dict[int, tuple[Unit, str]]:
    chosen = units.filter(pk__in=ids)
    if level == "school":
        return {
            s.pk: (
                Unit("school", s.pk, s.short_name, s.municipality.region_id, s.municipality_id),
                s.code,
            )
            for s in chosen.select_related("municipality")
        }
    if level == "municipality":
        return {
            m.pk: (Unit("municipality", m.pk, m.name, m.region_id, m.pk), m.code) for m in chosen
        }
    return {r.pk: (Unit("region", r.pk, r.name, r.pk), r.code) for r in chosen}


def figure_rows(
    user: Any, level: str, units: QuerySet[Any], filters: RowFilters
) -> list[FigureRow]:
    """Figures of every unit of `units` (schools, municipalities or regions) per group and year."""
    where = Q(**{_UNIT_WHERE[level]: units.values("pk")})
    found = tallies(
        level=level,
        where=where,
        years=[filters.year] if filters.year else None,
        periods=periods(),
        procedure=filters.procedure,
        subject=filters.subject,
        grade=filters.grade,
    )
    names = catalogue()
    viewer = viewer_for(user)
    known = _units(level, units, {unit_id for unit_id, _, _ in found})
    rows = []
    for (unit_id, group, year), tally in found.items():
        if unit_id not in known:
            continue
        unit, code = known[unit_id]
        figure = viewer.figure(unit, tally, names.kind(group))
        rows.append(FigureRow(unit, code, group, year, figure))
    by_group: dict[tuple[Group, int], list[Figure]] = {}
    for row in rows:
        by_group.setdefault((row.group, row.year), []).append(row.figure)
    for figures in by_group.values():
        viewer.guard_list(figures)
    rows.sort(key=lambda r: (r.unit.name, r.unit.pk, -r.year, names.sort_key(r.group)))
    return rows
