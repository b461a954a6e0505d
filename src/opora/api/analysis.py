"""Endpoints of the analysis: runs, the registry of a run, risk profiles, objectivity signs.

All read-only and scoped: a run is visible across its region; registry lines, risk profiles and
objectivity signs only for the schools in the user's scope. Filter by `?run=<id>` (and the
registry by `municipality`, `in_registry`).
"""

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from opora.analysis.choices import RunStatus
from opora.analysis.models import (
    AnalysisRun,
    ObjectivityResult,
    RiskProfileResult,
    RunSchool,
)
from opora.analysis.selectors import VIEW
from opora.api.scoping import ScopedReadOnlyViewSet


class AnalysisRunSerializer(serializers.ModelSerializer):
    batches: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = AnalysisRun
        fields = [
            "id",
            "region",
            "methodology",
            "methodology_name",
            "methodology_version",
            "year",
            "is_official",
            "status",
            "started_by_name",
            "started_at",
            "finished_at",
            "duration_s",
            "batches",
            "summary",
            "warnings",
            "fits",
            "parameters",
        ]
        read_only_fields = fields


class RegistryLineSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code", read_only=True)
    school_name = serializers.CharField(source="school.short_name", read_only=True)
    municipality = serializers.IntegerField(source="school.municipality_id", read_only=True)
    municipality_name = serializers.CharField(source="school.municipality.name", read_only=True)
    clusters = serializers.ListField(
        child=serializers.CharField(), source="cluster_codes", read_only=True
    )

    class Meta:
        model = RunSchool
        fields = [
            "id",
            "run",
            "school",
            "school_code",
            "school_name",
            "municipality",
            "municipality_name",
            "in_registry",
            "is_shnor",
            "is_ssu",
            "has_signs",
            "persistent_signs",
            "resilient",
            "decline",
            "watch",
            "clusters",
            "figures",
            "reasons",
        ]
        read_only_fields = fields


class SchoolResultSerializer(serializers.Serializer):
    """One kind of a school's output in a run: tables as lists of rows, reasons in Russian."""

    id = serializers.IntegerField(read_only=True)
    run = serializers.IntegerField(source="run_id", read_only=True)
    school = serializers.IntegerField(source="school_id", read_only=True)
    kind = serializers.CharField(read_only=True)
    tables = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    def get_tables(self, obj: Any) -> dict[str, list[dict[str, Any]]]:
        return {name: obj.table(name) for name in obj.data}


class RunFilter(filters.FilterSet):
    class Meta:
        model = AnalysisRun
        fields = ["year", "is_official", "methodology"]


class RegistryFilter(filters.FilterSet):
    municipality = filters.NumberFilter(field_name="school__municipality_id")

    class Meta:
        model = RunSchool
        fields = ["run", "school", "in_registry", "is_shnor", "has_signs"]


class SchoolResultFilter(filters.FilterSet):
    run = filters.NumberFilter(field_name="run_id")
    school = filters.NumberFilter(field_name="school_id")


@extend_schema_view(
    list=extend_schema(summary="Запуски анализа", tags=["analysis"]),
    retrieve=extend_schema(summary="Запуск анализа с параметрами методики", tags=["analysis"]),
)
class AnalysisRunViewSet(ScopedReadOnlyViewSet):
    capability = VIEW
    serializer_class = AnalysisRunSerializer
    filterset_class = RunFilter

    def base_queryset(self) -> QuerySet[Any]:
        return (
            AnalysisRun.objects.filter(status=RunStatus.DONE)
            .prefetch_related("batches")
            .order_by("-year", "-started_at", "-id")
        )


@extend_schema_view(
    list=extend_schema(summary="Реестр запуска: строки школ с основаниями", tags=["analysis"]),
    retrieve=extend_schema(summary="Строка реестра", tags=["analysis"]),
)
class RegistryViewSet(ScopedReadOnlyViewSet):
    capability = VIEW
    serializer_class = RegistryLineSerializer
    filterset_class = RegistryFilter

    def base_queryset(self) -> QuerySet[Any]:
        return RunSchool.objects.select_related("school__municipality").order_by(
            "run_id", "school__municipality__name", "school__short_name", "school_id"
        )


@extend_schema_view(
    list=extend_schema(summary="Рисковые профили школ", tags=["analysis"]),
    retrieve=extend_schema(summary="Рисковый профиль школы", tags=["analysis"]),
)
class RiskProfileViewSet(ScopedReadOnlyViewSet):
    capability = VIEW
    serializer_class = SchoolResultSerializer
    filterset_class = SchoolResultFilter

    def base_queryset(self) -> QuerySet[Any]:
        return RiskProfileResult.objects.order_by("run_id", "school_id", "id")


@extend_schema_view(
    list=extend_schema(summary="Признаки необъективности школ", tags=["analysis"]),
    retrieve=extend_schema(summary="Признаки необъективности школы", tags=["analysis"]),
)
class ObjectivityViewSet(ScopedReadOnlyViewSet):
    capability = VIEW
    serializer_class = SchoolResultSerializer
    filterset_class = SchoolResultFilter

    def base_queryset(self) -> QuerySet[Any]:
        return ObjectivityResult.objects.order_by("run_id", "school_id", "id")
