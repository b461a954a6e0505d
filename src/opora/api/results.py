"""Read endpoints of assessment results: aggregates by school, municipality and region, and
student-level rows for the regional roles.

Aggregates are computed on request with the pages' tallies (`opora.assessment.result_rows`); a
group under the minimum size reads `"suppressed": true` with empty figures for whoever does not
see the unit in full. Student rows carry the pseudonymous key only.
"""

from typing import Any, ClassVar

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability
from opora.api.scoping import ScopedGenericViewSet
from opora.assessment.models import StudentResult
from opora.assessment.result_rows import FigureRow, RowFilters, figure_rows
from opora.territory.models import Municipality, Region, School


class FilterSerializer(serializers.Serializer):
    """Query parameters of the aggregate endpoints."""

    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    procedure = serializers.RegexField(r"^[a-z0-9_]{1,30}$", required=False)
    subject = serializers.RegexField(r"^[a-z0-9_]{1,30}$", required=False)
    grade = serializers.IntegerField(required=False, min_value=1, max_value=12)


class ShareSerializer(serializers.Serializer):
    category = serializers.CharField(source="label", label="отметка, диапазон баллов или зачёт")
    count = serializers.IntegerField(label="участников")
    share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class FigureRowSerializer(serializers.Serializer):
    """The figures of one unit in one procedure, subject, grade and year."""

    id = serializers.IntegerField(source="unit.pk", label="id школы, муниципалитета или региона")
    code = serializers.CharField(label="код")
    name = serializers.CharField(source="unit.name", label="наименование")
    year = serializers.IntegerField(label="год")
    procedure = serializers.CharField(source="group.procedure", label="процедура")
    subject = serializers.CharField(source="group.subject", label="предмет")
    grade = serializers.IntegerField(source="group.grade", label="класс (параллель)")
    kind = serializers.CharField(source="figure.kind", label="mark, score или pass_fail")
    suppressed = serializers.BooleanField(source="figure.hidden", label="скрыто (малая группа)")
    participants = serializers.IntegerField(source="figure.participants", allow_null=True)
    mean = serializers.DecimalField(
        source="figure.mean",
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        label="средняя отметка или средний тестовый балл",
    )
    share_fail = serializers.DecimalField(
        source="figure.share_fail",
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        label="доля «2», ниже минимального балла или «незачёт», %",
    )
    share_top = serializers.DecimalField(
        source="figure.share_top",
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        label="доля «4» и «5» или высоких баллов, %",
    )
    distribution = ShareSerializer(source="figure.distribution", many=True)


_FILTER_PARAMETERS = [
    OpenApiParameter("year", int, description="год (год окончания учебного года)"),
    OpenApiParameter("procedure", str, description="код процедуры: vpr, oge, ege, ege_base, …"),
    OpenApiParameter("subject", str, description="код предмета: rus, math, math_profile, …"),
    OpenApiParameter("grade", int, description="класс (параллель)"),
]


class _FiguresViewSet(mixins.ListModelMixin, ScopedGenericViewSet):
    """A list of figure rows of the scoped units (schools, municipalities or regions)."""

    level: ClassVar[str]
    serializer_class = FigureRowSerializer
    filter_backends = ()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows: list[FigureRow] = figure_rows(
            request.user,
            self.level,
            self.get_queryset(),
            RowFilters(
                year=data.get("year"),
                procedure=data.get("procedure", ""),
                subject=data.get("subject", ""),
                grade=data.get("grade"),
            ),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


_LIST_DOC = (
    "Участники, средний результат, доли «2» (ниже минимального балла) и «4»–«5» (высоких "
    "баллов) и распределение по каждой процедуре, предмету, классу и году. Группы менее N "
    "участников у тех, кто видит их не полностью, скрыты: `suppressed: true`."
)


@extend_schema_view(
    list=extend_schema(
        summary="Результаты школ",
        description=_LIST_DOC,
        parameters=_FILTER_PARAMETERS,
        tags=["results"],
    )
)
class SchoolFiguresViewSet(_FiguresViewSet):
    capability = Capability.RESULTS_VIEW
    level = "school"

    def base_queryset(self) -> QuerySet[School]:
        return School.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="Результаты муниципалитетов",
        description=_LIST_DOC,
        parameters=_FILTER_PARAMETERS,
        tags=["results"],
    )
)
class MunicipalityFiguresViewSet(_FiguresViewSet):
    capability = Capability.TERRITORY_VIEW
    level = "municipality"

    def base_queryset(self) -> QuerySet[Municipality]:
        return Municipality.objects.all()


@extend_schema_view(
    list=extend_schema(
        summary="Результаты регионов",
        description=_LIST_DOC,
        parameters=_FILTER_PARAMETERS,
        tags=["results"],
    )
)
class RegionFiguresViewSet(_FiguresViewSet):
    capability = Capability.TERRITORY_VIEW
    level = "region"

    def base_queryset(self) -> QuerySet[Region]:
        return Region.objects.all()


_STUDENT_FIELDS = [
    "id",
    "student_key",
    "school",
    "school_code",
    "grade",
    "class_label",
    "procedure",
    "subject",
    "year",
    "period",
    "primary_score",
    "mark",
    "test_score",
    "passed",
    "task_scores",
    "journal_mark_term",
    "journal_mark_year",
]
# Fields added to the model later are served when present.
_STUDENT_FIELDS += [
    name
    for name in ("medal", "controlled")
    if name in {f.name for f in StudentResult._meta.get_fields()}
]
_STUDENT_FIELDS.append("batch")


class StudentResultSerializer(serializers.ModelSerializer):
    """One student's result, under the pseudonymous key (no names are stored)."""

    school_code = serializers.CharField(source="school.code", read_only=True, label="код школы")
    task_scores = serializers.JSONField(read_only=True, label="баллы по заданиям")

    class Meta:
        model = StudentResult
        fields = _STUDENT_FIELDS
        read_only_fields = _STUDENT_FIELDS


class StudentResultFilter(filters.FilterSet):
    region = filters.NumberFilter(field_name="school__municipality__region", label="id региона")
    municipality = filters.NumberFilter(
        field_name="school__municipality", label="id муниципалитета"
    )

    class Meta:
        model = StudentResult
        fields = ["year", "procedure", "subject", "grade", "period", "school", "batch"]


@extend_schema_view(
    list=extend_schema(
        summary="Результаты участников (по ключам)",
        description="Строки результатов участников для региональных ролей; вместо имени — "
        "псевдонимный ключ. Муниципальным и школьным ролям и наблюдателю — 403.",
        tags=["results"],
    )
)
class StudentResultViewSet(mixins.ListModelMixin, ScopedGenericViewSet):
    capability = Capability.RESULTS_STUDENTS
    serializer_class = StudentResultSerializer
    filterset_class = StudentResultFilter

    def base_queryset(self) -> QuerySet[StudentResult]:
        # Ordered by id: pages stay stable and need no sort of the whole scope.
        return StudentResult.objects.select_related("school").order_by("id")

    def get_queryset(self) -> QuerySet[StudentResult]:
        """The rows of the schools in scope.

        The same scope as `objects_for(user, capability, StudentResult)` (a result is registered
        with its school's paths), reached through the few schools instead of a semi-join over
        millions of result ids.
        """
        schools = objects_for(self.request.user, self.capability, School)
        return self.base_queryset().filter(school__in=schools.values("pk"))
