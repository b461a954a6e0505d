"""API shapes of the territory: serializers, filter sets and base querysets.

The viewsets that serve them live in `opora.api.territory` (domain apps do not import the API
package); they scope every queryset built here with `objects_for` before any filter applies.
"""

from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django_filters import rest_framework as filters
from rest_framework import serializers

from opora.territory.choices import SIZE_BAND_BOUNDS, MunicipalityKind, SchoolType, SizeBand
from opora.territory.models import SNAPSHOT_FIELDS, Municipality, Region, School, SchoolSnapshot

# ---------------------------------------------------------------------------- querysets


def regions_base() -> QuerySet[Region]:
    """Regions with the number of their municipalities."""
    return Region.objects.annotate(
        municipalities_count=Count("municipalities", distinct=True)
    ).order_by("name", "id")


def municipalities_base() -> QuerySet[Municipality]:
    """Municipalities with their region and the number of their active schools."""
    return (
        Municipality.objects.select_related("region")
        .annotate(schools_count=Count("schools", filter=Q(schools__is_active=True), distinct=True))
        .order_by("name", "id")
    )


def schools_base() -> QuerySet[School]:
    """Schools with their municipality, settlement and latest snapshot (one query for all)."""
    latest = SchoolSnapshot.objects.filter(school=OuterRef("pk")).order_by("-year")
    latest_year = SchoolSnapshot.objects.filter(school=OuterRef("school")).order_by("-year")
    return (
        School.objects.select_related("municipality__region", "settlement")
        .annotate(latest_students_total=Subquery(latest.values("students_total")[:1]))
        .prefetch_related(
            Prefetch(
                "snapshots",
                queryset=SchoolSnapshot.objects.filter(
                    year=Subquery(latest_year.values("year")[:1])
                ),
                to_attr="latest_snapshots",
            )
        )
    )


# ---------------------------------------------------------------------------- serializers


class RegionSerializer(serializers.ModelSerializer):
    """A region (субъект РФ)."""

    municipalities_count = serializers.IntegerField(read_only=True, label="муниципалитетов")

    class Meta:
        model = Region
        fields = ["id", "code", "name", "municipalities_count"]


class MunicipalitySerializer(serializers.ModelSerializer):
    """A municipality with its region and the number of active schools."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True, label="вид")
    region_name = serializers.CharField(source="region.name", read_only=True, label="регион")
    schools_count = serializers.IntegerField(read_only=True, label="действующих школ")

    class Meta:
        model = Municipality
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_display",
            "region",
            "region_name",
            "schools_count",
        ]


class SchoolSnapshotSerializer(serializers.ModelSerializer):
    """The context of a school in one school year (year = the year the school year ends)."""

    school_year = serializers.CharField(
        source="school_year_display", read_only=True, label="учебный год"
    )

    class Meta:
        model = SchoolSnapshot
        fields = ["year", "school_year", "students_total", *SNAPSHOT_FIELDS]


class LatestSnapshotSerializer(SchoolSnapshotSerializer):
    """The newest snapshot of a school (prefetched by `schools_base`), or null when none."""

    def get_attribute(self, instance: School) -> SchoolSnapshot | None:
        snapshots = getattr(instance, "latest_snapshots", None)
        if snapshots is None:
            snapshots = list(instance.snapshots.order_by("-year")[:1])
        return snapshots[0] if snapshots else None


class SchoolSerializer(serializers.ModelSerializer):
    """A school card: the stable registry fields and the latest yearly snapshot."""

    school_type_display = serializers.CharField(
        source="get_school_type_display", read_only=True, label="тип"
    )
    municipality_name = serializers.CharField(
        source="municipality.name", read_only=True, label="муниципалитет"
    )
    region = serializers.IntegerField(source="municipality.region_id", read_only=True)
    settlement_name = serializers.CharField(
        source="settlement.name", read_only=True, default=None, label="населённый пункт"
    )
    levels = serializers.CharField(source="levels_display", read_only=True, label="уровни")
    latest_snapshot = LatestSnapshotSerializer(
        read_only=True, allow_null=True, label="последний годовой срез"
    )

    class Meta:
        model = School
        fields = [
            "id",
            "code",
            "inn",
            "ogrn",
            "full_name",
            "short_name",
            "school_type",
            "school_type_display",
            "levels",
            "address",
            "region",
            "municipality",
            "municipality_name",
            "settlement",
            "settlement_name",
            "is_urban",
            "transport_access",
            "shifts",
            "is_active",
            "latest_snapshot",
        ]


# ---------------------------------------------------------------------------- filters


def _search(queryset: QuerySet, fields: list[str], value: str) -> QuerySet:
    value = value.strip()
    if not value:
        return queryset
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return queryset.filter(query)


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Sorts with empty values last either way and the id as a tie-break (stable pages)."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not value:
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            expression = F(field.lstrip("-"))
            descending = field.startswith("-")
            ordering.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "id")


class RegionFilter(filters.FilterSet):
    """Search regions by name or code."""

    search = filters.CharFilter(method="filter_search", label="поиск по названию или коду")

    class Meta:
        model = Region
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ["name", "code"], value)


class MunicipalityFilter(filters.FilterSet):
    """Filter municipalities by region and kind; search by name or code."""

    region = filters.NumberFilter(field_name="region_id", label="регион (id)")
    kind = filters.ChoiceFilter(choices=MunicipalityKind.choices, label="вид")
    search = filters.CharFilter(method="filter_search", label="поиск по названию или коду")

    class Meta:
        model = Municipality
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ["name", "code"], value)


class SchoolFilter(filters.FilterSet):
    """Filter schools as the school list page does; `search` looks in names, code and ИНН."""

    region = filters.NumberFilter(field_name="municipality__region_id", label="регион (id)")
    municipality = filters.NumberFilter(field_name="municipality_id", label="муниципалитет (id)")
    school_type = filters.ChoiceFilter(choices=SchoolType.choices, label="тип школы")
    is_urban = filters.BooleanFilter(label="городская")
    is_active = filters.BooleanFilter(label="действующая")
    size = filters.ChoiceFilter(
        choices=SizeBand.choices, method="filter_size", label="размер по числу обучающихся"
    )
    search = filters.CharFilter(method="filter_search", label="поиск по наименованию, коду или ИНН")
    ordering = NullsLastOrderingFilter(
        fields=(
            ("short_name", "name"),
            ("code", "code"),
            ("latest_students_total", "students"),
        ),
        field_labels={
            "short_name": "наименование",
            "code": "код",
            "latest_students_total": "обучающихся",
        },
        label="сортировка",
    )

    class Meta:
        model = School
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ["short_name", "full_name", "code", "inn"], value)

    def filter_size(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        low, high = SIZE_BAND_BOUNDS[value]
        queryset = queryset.filter(latest_students_total__gte=low)
        return queryset if high is None else queryset.filter(latest_students_total__lt=high)
