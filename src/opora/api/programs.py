"""Endpoints of programs: programs and tracks (read), activities (read, PATCH with a version)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opora.accounts.policy import user_can
from opora.api.scoping import ScopedReadOnlyViewSet
from opora.core.models import AuditEntry
from opora.programs.api import (
    ActivityChangeSerializer,
    ActivitySerializer,
    ProgramSerializer,
    TrackSerializer,
    activities_base,
    programs_base,
    tracks_base,
)
from opora.programs.selectors import PROGRAM_EDIT, PROGRAM_VIEW
from opora.programs.services import ActivityConflictError, activity_update


@extend_schema_view(
    list=extend_schema(summary="Программы", tags=["programs"]),
    retrieve=extend_schema(summary="Программа с паспортом", tags=["programs"]),
)
class ProgramViewSet(ScopedReadOnlyViewSet):
    capability = PROGRAM_VIEW
    serializer_class = ProgramSerializer

    def base_queryset(self) -> QuerySet[Any]:
        return programs_base()


@extend_schema_view(
    list=extend_schema(summary="Направления дорожных карт", tags=["programs"]),
    retrieve=extend_schema(summary="Направление", tags=["programs"]),
)
class TrackViewSet(ScopedReadOnlyViewSet):
    capability = PROGRAM_VIEW
    serializer_class = TrackSerializer

    def base_queryset(self) -> QuerySet[Any]:
        return tracks_base()


@extend_schema_view(
    list=extend_schema(summary="Мероприятия", tags=["programs"]),
    retrieve=extend_schema(summary="Мероприятие", tags=["programs"]),
)
class ActivityViewSet(ScopedReadOnlyViewSet):
    capability = PROGRAM_VIEW
    serializer_class = ActivitySerializer

    def base_queryset(self) -> QuerySet[Any]:
        return activities_base()

    @extend_schema(
        summary="Изменить мероприятие (статус, отметку о выполнении, поля)",
        tags=["programs"],
        request=ActivityChangeSerializer,
        responses={200: ActivitySerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change an activity read at `version`; 409 with the current values when stale."""
        activity = self.get_object()
        if not user_can(request.user, PROGRAM_EDIT, activity):
            raise PermissionDenied("Недостаточно прав для изменения мероприятия.")
        change = ActivityChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        try:
            updated = activity_update(
                actor=request.user,
                activity_id=activity.pk,
                expected_version=change.validated_data["version"],
                data=change.changes(),
                source=AuditEntry.Source.API,
            )
        except ActivityConflictError as conflict:
            current = ActivitySerializer(conflict.activity).data
            return Response(
                {"detail": conflict.messages[0], "current": current},
                status=status.HTTP_409_CONFLICT,
            )
        except ValidationError as error:
            raise ApiValidationError({"detail": error.messages}) from error
        return Response(ActivitySerializer(updated).data)
