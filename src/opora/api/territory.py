"""Read endpoints of the territory: regions, municipalities, schools and their snapshots."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability
from opora.api.scoping import ScopedReadOnlyViewSet
from opora.territory.api import (
    MunicipalityFilter,
    MunicipalitySerializer,
    RegionFilter,
    RegionSerializer,
    SchoolFilter,
    SchoolSerializer,
    SchoolSnapshotSerializer,
    municipalities_base,
    regions_base,
    schools_base,
)
from opora.territory.models import Municipality, Region, School, SchoolSnapshot


@extend_schema_view(
    list=extend_schema(summary="Регионы", tags=["territory"]),
    retrieve=extend_schema(summary="Регион", tags=["territory"]),
)
class RegionViewSet(ScopedReadOnlyViewSet):
    """Regions the user may see."""

    capability = Capability.TERRITORY_VIEW
    serializer_class = RegionSerializer
    filterset_class = RegionFilter

    def base_queryset(self) -> QuerySet[Region]:
        return regions_base()


@extend_schema_view(
    list=extend_schema(summary="Муниципалитеты", tags=["territory"]),
    retrieve=extend_schema(summary="Муниципалитет", tags=["territory"]),
)
class MunicipalityViewSet(ScopedReadOnlyViewSet):
    """Municipalities the user may see."""

    capability = Capability.TERRITORY_VIEW
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter

    def base_queryset(self) -> QuerySet[Municipality]:
        return municipalities_base()


@extend_schema_view(
    list=extend_schema(summary="Школы", tags=["schools"]),
    retrieve=extend_schema(summary="Карточка школы", tags=["schools"]),
)
class SchoolViewSet(ScopedReadOnlyViewSet):
    """Schools the user may see, each with its latest yearly snapshot."""

    capability = Capability.SCHOOL_VIEW
    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter

    def base_queryset(self) -> QuerySet[School]:
        return schools_base()

    @extend_schema(
        summary="Годовые срезы школы",
        description="Все годовые срезы школы, от нового года к старому.",
        tags=["schools"],
        responses=SchoolSnapshotSerializer(many=True),
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def snapshots(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        school = self.get_object()
        snapshots = objects_for(request.user, self.capability, SchoolSnapshot).filter(school=school)
        serializer = SchoolSnapshotSerializer(snapshots.order_by("-year"), many=True)
        return Response(serializer.data)
