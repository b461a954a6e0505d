"""Reads of the territory and the school registry that depend on who asks.

Every function takes the user and starts from `objects_for`, so nothing out of scope is read.
Figures of a school come from its latest yearly snapshot, annotated with subqueries so that a list
costs the same number of SQL queries whatever the number of schools.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability
from opora.territory.choices import SIZE_BAND_BOUNDS
from opora.territory.models import Municipality, Region, School, SchoolSnapshot

SORTS: dict[str, list[str]] = {
    "name": ["short_name", "id"],
    "municipality": ["municipality__name", "short_name", "id"],
    "students": ["latest_students", "short_name", "id"],
    "teachers": ["latest_teachers", "short_name", "id"],
}
"""Sort keys of the school list; a leading minus sorts descending."""


def _latest(field_name: str) -> Subquery:
    """A subquery for `field_name` of the school's latest snapshot."""
    return Subquery(
        SchoolSnapshot.objects.filter(school=OuterRef("pk"))
        .order_by("-year")
        .values(field_name)[:1],
        output_field=IntegerField(),
    )


def with_latest_figures(queryset: QuerySet[School]) -> QuerySet[Any]:
    """Annotate schools with `latest_year`, `latest_students` and `latest_teachers`."""
    return queryset.annotate(
        latest_year=_latest("year"),
        latest_students=_latest("students_total"),
        latest_teachers=_latest("teachers_total"),
    )


@dataclass
class SchoolFilters:
    """Parsed filters of the school list (empty values mean "any")."""

    q: str = ""
    municipality_id: int | None = None
    school_type: str = ""
    locality: str = ""  # "urban" or "rural"
    size: str = ""
    sort: str = "name"


def school_list(user: Any, filters: SchoolFilters) -> QuerySet[Any]:
    """Schools the user may view, filtered, annotated with latest figures and sorted."""
    schools = with_latest_figures(
        objects_for(user, Capability.SCHOOL_VIEW, School).select_related("municipality")
    )
    q = filters.q.strip()
    if q:
        schools = schools.filter(
            Q(short_name__icontains=q)
            | Q(full_name__icontains=q)
            | Q(code__icontains=q)
            | Q(inn__startswith=q)
        )
    if filters.municipality_id:
        schools = schools.filter(municipality_id=filters.municipality_id)
    if filters.school_type:
        schools = schools.filter(school_type=filters.school_type)
    if filters.locality in ("urban", "rural"):
        schools = schools.filter(is_urban=filters.locality == "urban")
    if filters.size in SIZE_BAND_BOUNDS:
        lower, upper = SIZE_BAND_BOUNDS[filters.size]
        schools = schools.filter(latest_students__gte=lower)
        if upper is not None:
            schools = schools.filter(latest_students__lt=upper)
    key = filters.sort.lstrip("-")
    order = SORTS.get(key, SORTS["name"])
    if filters.sort.startswith("-") and key in SORTS:
        first = order[0]
        return schools.order_by(
            Coalesce(first, -1).desc() if first.startswith("latest_") else f"-{first}", *order[1:]
        )
    if order[0].startswith("latest_"):
        return schools.order_by(Coalesce(order[0], -1).asc(), *order[1:])
    return schools.order_by(*order)


def filter_municipalities(user: Any) -> QuerySet[Municipality]:
    """Municipalities offered in the school list filter: those with schools the user may view."""
    return objects_for(user, Capability.SCHOOL_VIEW, Municipality).order_by("name", "id")


@dataclass
class AreaFigures:
    """Counts of a municipality (or a total): schools, students, teachers, rural shares."""

    schools: int = 0
    rural_schools: int = 0
    students: int = 0
    rural_students: int = 0
    teachers: int = 0

    @property
    def rural_schools_share(self) -> float | None:
        return 100 * self.rural_schools / self.schools if self.schools else None

    @property
    def rural_students_share(self) -> float | None:
        return 100 * self.rural_students / self.students if self.students else None

    def add(self, other: "AreaFigures") -> None:
        self.schools += other.schools
        self.rural_schools += other.rural_schools
        self.students += other.students
        self.rural_students += other.rural_students
        self.teachers += other.teachers


@dataclass
class AreaRow:
    """A municipality with its figures."""

    municipality: Municipality
    figures: AreaFigures


def school_year_display(year: int | None) -> str:
    """The school year ending in `year` as users write it: 2024 → "2023/24"."""
    return f"{year - 1}/{str(year)[-2:]}" if year else ""


@dataclass
class AreaOverview:
    """Rows by municipality, their total and the latest data year among them."""

    rows: list[AreaRow] = field(default_factory=list)
    total: AreaFigures = field(default_factory=AreaFigures)
    latest_year: int | None = None

    @property
    def latest_school_year(self) -> str:
        return school_year_display(self.latest_year)


def _figures_by_municipality(
    schools: QuerySet[School],
) -> tuple[dict[int, AreaFigures], int | None]:
    """One aggregate query: figures of the schools grouped by municipality."""
    rows = (
        with_latest_figures(schools.filter(is_active=True))
        .order_by()
        .values("municipality_id")
        .annotate(
            n_schools=Count("id"),
            n_rural=Count("id", filter=Q(is_urban=False)),
            students=Coalesce(Sum("latest_students"), 0),
            rural_students=Coalesce(Sum("latest_students", filter=Q(is_urban=False)), 0),
            teachers=Coalesce(Sum("latest_teachers"), 0),
            year=Max("latest_year"),
        )
    )
    figures: dict[int, AreaFigures] = {}
    latest_year: int | None = None
    for row in rows:
        figures[row["municipality_id"]] = AreaFigures(
            schools=row["n_schools"],
            rural_schools=row["n_rural"],
            students=row["students"],
            rural_students=row["rural_students"],
            teachers=row["teachers"],
        )
        if row["year"] is not None:
            latest_year = max(latest_year or 0, row["year"])
    return figures, latest_year


def area_overview(user: Any, municipalities: QuerySet[Municipality]) -> AreaOverview:
    """Figures of the given municipalities over the schools the user may see in aggregate."""
    municipality_list = list(municipalities)
    schools = objects_for(user, Capability.TERRITORY_VIEW, School).filter(
        municipality__in=[m.pk for m in municipality_list]
    )
    figures, latest_year = _figures_by_municipality(schools)
    overview = AreaOverview(latest_year=latest_year)
    for municipality in municipality_list:
        row_figures = figures.get(municipality.pk, AreaFigures())
        overview.rows.append(AreaRow(municipality=municipality, figures=row_figures))
        overview.total.add(row_figures)
    return overview


def region_overview(user: Any, region: Region) -> AreaOverview:
    """Municipalities of `region` visible to the user, with their figures and a total."""
    municipalities = objects_for(user, Capability.TERRITORY_VIEW, Municipality).filter(
        region=region
    )
    return area_overview(user, municipalities.order_by("name", "id"))


def municipality_schools(user: Any, municipality: Municipality) -> QuerySet[Any]:
    """Schools of a municipality that the user may see in aggregate, with latest figures."""
    return with_latest_figures(
        objects_for(user, Capability.TERRITORY_VIEW, School).filter(municipality=municipality)
    ).order_by("short_name", "id")
