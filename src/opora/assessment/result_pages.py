"""Reads: what the results pages of a school, a municipality and a region show.

Each page has a table of groups (procedure × subject × grade) with three years of the unit's own
figures, and the detail of one selected group (`result_detail`). The unit is checked to be in the
user's scope by the view before it gets here.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q

from opora.assessment.disclosure import Figure, Unit, periods, viewer_for
from opora.assessment.figures import Group, catalogue, tallies
from opora.assessment.result_detail import Detail, group_detail, series
from opora.territory.models import Municipality, Region, School

DYNAMICS_YEARS = 3  # three years of dynamics, as the context tables of the school card


@dataclass(frozen=True)
class Filters:
    """The groups the table shows (empty = all), the selected group and the latest year."""

    procedure: str = ""
    subject: str = ""
    grade: int | None = None
    year: int | None = None
    group: Group | None = None

    def matches(self, group: Group) -> bool:
        return (
            (not self.procedure or group.procedure == self.procedure)
            and (not self.subject or group.subject == self.subject)
            and (self.grade is None or group.grade == self.grade)
        )

    def query(self, group: Group) -> str:
        """The query string that keeps these filters and selects `group`."""
        params: dict[str, Any] = {
            "procedure": self.procedure,
            "subject": self.subject,
            "grade": self.grade if self.grade is not None else "",
            "year": self.year or "",
            "group": f"{group.procedure}:{group.subject}:{group.grade}",
        }
        return urlencode({k: v for k, v in params.items() if v != ""})


@dataclass
class GroupRow:
    """A line of the table of groups: the unit's figures per year, oldest first."""

    group: Group
    procedure: str
    subject: str
    kind: str
    figures: list[Figure]
    query: str
    selected: bool = False


@dataclass
class ResultsPage:
    unit: Unit
    years: list[int]
    available_years: list[int]
    groups: list[GroupRow]
    detail: Detail | None
    procedures: list[tuple[str, str]]
    subjects: list[tuple[str, str]]
    grades: list[int]


def school_unit(school: School) -> Unit:
    return Unit(
        "school",
        school.pk,
        school.short_name,
        school.municipality.region_id,
        school.municipality_id,
    )


def municipality_unit(municipality: Municipality) -> Unit:
    return Unit(
        "municipality", municipality.pk, municipality.name, municipality.region_id, municipality.pk
    )


def region_unit(region: Region) -> Unit:
    return Unit("region", region.pk, region.name, region.pk)


def _unit_where(unit: Unit) -> Q:
    if unit.level == "school":
        return Q(school_id=unit.pk)
    if unit.level == "municipality":
        return Q(school__municipality_id=unit.pk)
    return Q(school__municipality__region_id=unit.pk)


def results_page(user: Any, unit: Unit, filters: Filters) -> ResultsPage:
    """The results page of `unit` for `user`."""
    viewer = viewer_for(user)
    # Every year at once: one scan gives the years there are and the figures of the window.
    every_year = tallies(level=unit.level, where=_unit_where(unit), years=None, periods=periods())
    available = sorted({year for (_, _, year) in every_year}, reverse=True)
    latest = filters.year if filters.year in available else (available[0] if available else None)
    years = [latest - DYNAMICS_YEARS + 1 + i for i in range(DYNAMICS_YEARS)] if latest else []
    names = catalogue()
    own = {key: tally for key, tally in every_year.items() if key[2] in years}
    groups = sorted({group for (_, group, _) in own}, key=names.sort_key)
    rows = [
        GroupRow(
            group=group,
            procedure=names.procedure_name(group.procedure),
            subject=names.subject_name(group.subject),
            kind=names.kind(group),
            figures=series(viewer, unit, own, group, years, names.kind(group)),
            query=filters.query(group),
        )
        for group in groups
        if filters.matches(group)
    ]
    detail = None
    if rows:
        chosen = next((row for row in rows if row.group == filters.group), rows[0])
        chosen.selected = True
        detail = group_detail(viewer, user, unit, names, chosen.group, chosen.figures, years)
        detail.query = chosen.query
    procedures = dict.fromkeys(g.procedure for g in groups)
    subjects = sorted({g.subject for g in groups}, key=lambda c: names.sort_key(Group("", c, 0)))
    return ResultsPage(
        unit=unit,
        years=years,
        available_years=available,
        groups=rows,
        detail=detail,
        procedures=[(code, names.procedure_name(code)) for code in procedures],
        subjects=[(code, names.subject_name(code)) for code in subjects],
        grades=sorted({g.grade for g in groups}),
    )
