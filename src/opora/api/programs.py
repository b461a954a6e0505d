"""Endpoints of programs: programs, tracks and activities (read and write), targets, reporting
periods and reports (read).

Writes go through the services of `opora.programs`; who may write follows
`opora.programs.permissions` (a program is changed by its own level and reviewed by the level
above). A stale activity `version` answers 409 with the current values.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opora.accounts.policy import object_for
from opora.api.scoping import ScopedGenericViewSet, ScopedReadOnlyViewSet
from opora.core.models import AuditEntry
from opora.programs.api import (
    ActivityChangeSerializer,
    ActivityCreateSerializer,
    ActivitySerializer,
    BudgetLineSerializer,
    ProgramChangeSerializer,
    ProgramCreateSerializer,
    ProgramReportSerializer,
    ProgramSerializer,
    ReportingPeriodSerializer,
    TargetSerializer,
    TrackChangeSerializer,
    TrackSerializer,
    activities_base,
    budget_base,
    periods_base,
    programs_base,
    reports_base,
    targets_base,
    tracks_base,
)
from opora.programs.choices import KIND_LEVEL, ProgramStatus
from opora.programs.deletion import program_delete, track_delete
from opora.programs.models import Activity, Program, Track
from opora.programs.permissions import (
    PROGRAM_VIEW,
    can_edit_program,
    can_mark_activity,
    can_review_program,
)
from opora.programs.services import (
    ActivityConflictError,
    activity_create,
    activity_update,
    program_create,
    program_update,
    track_create,
    track_update,
)
from opora.programs.workflow import activity_return, program_approve, program_return, program_submit

API = AuditEntry.Source.API
TAGS = ["programs"]
NO_RIGHT = "Недостаточно прав для изменения программы."


def _refuse_unless(allowed: bool, message: str = NO_RIGHT) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _service_errors(error: ValidationError) -> ApiValidationError:
    return ApiValidationError({"detail": error.messages})


# PATCH, not PUT: every write names only the fields it changes.
WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]


@extend_schema_view(
    list=extend_schema(summary="Программы", tags=TAGS),
    retrieve=extend_schema(summary="Программа с паспортом", tags=TAGS),
)
class ProgramViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedGenericViewSet,
):
    capability = PROGRAM_VIEW
    serializer_class = ProgramSerializer
    http_method_names = WRITE_METHODS

    def base_queryset(self) -> QuerySet[Any]:
        return programs_base()

    @extend_schema(
        summary="Создать программу",
        tags=TAGS,
        request=ProgramCreateSerializer,
        responses={201: ProgramSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ProgramCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        probe = Program(level=KIND_LEVEL[values["kind"]])
        school, municipality = values.get("school"), values.get("municipality")
        probe.school = school
        probe.municipality = school.municipality if school else municipality
        region: Any = values.get("region")
        probe.region = probe.municipality.region if probe.municipality else region
        _refuse_unless(can_edit_program(request.user, probe))
        try:
            program = program_create(actor=request.user, source=API, **values)
        except ValidationError as error:
            raise _service_errors(error) from error
        return Response(
            ProgramSerializer(programs_base().get(pk=program.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Изменить паспорт или статус рассмотрения программы",
        tags=TAGS,
        request=ProgramChangeSerializer,
        responses={200: ProgramSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program = self.get_object()
        change = ProgramChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        passport = change.passport()
        move = change.validated_data.get("status")
        comment = change.validated_data.get("review_comment", "")
        if passport or move == ProgramStatus.SUBMITTED:
            _refuse_unless(can_edit_program(request.user, program))
        if move in (ProgramStatus.APPROVED, ProgramStatus.RETURNED):
            _refuse_unless(
                can_review_program(request.user, program),
                "Рассматривает программу уровень выше: муниципалитет школьную, регион муниципальную.",
            )
        try:
            if passport:
                program_update(actor=request.user, program=program, data=passport, source=API)
            if move == ProgramStatus.SUBMITTED:
                program_submit(actor=request.user, program=program, source=API)
            elif move == ProgramStatus.APPROVED:
                program_approve(actor=request.user, program=program, comment=comment, source=API)
            elif move == ProgramStatus.RETURNED:
                program_return(actor=request.user, program=program, comment=comment, source=API)
        except ValidationError as error:
            raise _service_errors(error) from error
        return Response(ProgramSerializer(programs_base().get(pk=program.pk)).data)

    @extend_schema(summary="Удалить программу (администратор может восстановить)", tags=TAGS)
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        program = self.get_object()
        _refuse_unless(can_edit_program(request.user, program))
        program_delete(actor=request.user, program=program, source=API)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Направления дорожных карт", tags=TAGS),
    retrieve=extend_schema(summary="Направление", tags=TAGS),
)
class TrackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    capability = PROGRAM_VIEW
    serializer_class = TrackSerializer
    http_method_names = WRITE_METHODS

    def base_queryset(self) -> QuerySet[Any]:
        return tracks_base()

    @extend_schema(summary="Добавить направление", tags=TAGS, responses={201: TrackSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TrackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        program = object_for(
            request.user, PROGRAM_VIEW, Program, pk=data.validated_data["program"].pk
        )
        _refuse_unless(can_edit_program(request.user, program))
        track = track_create(
            actor=request.user,
            program=program,
            name=data.validated_data["name"],
            position=data.validated_data.get("position"),
            source=API,
        )
        return Response(
            TrackSerializer(tracks_base().get(pk=track.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Переименовать или переместить направление",
        tags=TAGS,
        request=TrackChangeSerializer,
        responses={200: TrackSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        track: Track = self.get_object()
        _refuse_unless(can_edit_program(request.user, track.program))
        change = TrackChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        try:
            track_update(
                actor=request.user, track=track, data=dict(change.validated_data), source=API
            )
        except ValidationError as error:
            raise _service_errors(error) from error
        return Response(TrackSerializer(tracks_base().get(pk=track.pk)).data)

    @extend_schema(summary="Удалить направление (администратор может восстановить)", tags=TAGS)
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        track: Track = self.get_object()
        _refuse_unless(can_edit_program(request.user, track.program))
        track_delete(actor=request.user, track=track, source=API)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Мероприятия", tags=TAGS),
    retrieve=extend_schema(summary="Мероприятие", tags=TAGS),
)
class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    capability = PROGRAM_VIEW
    serializer_class = ActivitySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self) -> QuerySet[Any]:
        return activities_base()

    @extend_schema(
        summary="Добавить мероприятие",
        tags=TAGS,
        request=ActivityCreateSerializer,
        responses={201: ActivitySerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ActivityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        track = object_for(
            request.user,
            PROGRAM_VIEW,
            Track.objects.select_related("program"),
            pk=data.validated_data["track"].pk,
        )
        _refuse_unless(can_edit_program(request.user, track.program))
        try:
            activity = activity_create(
                actor=request.user, track=track, data=data.data_fields(), source=API
            )
        except ValidationError as error:
            raise _service_errors(error) from error
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Изменить мероприятие (статус, отметку о выполнении, поля) или вернуть его на "
        "доработку",
        tags=TAGS,
        request=ActivityChangeSerializer,
        responses={200: ActivitySerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change an activity read at `version`; 409 with the current values when stale."""
        activity: Activity = self.get_object()
        change = ActivityChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        program = activity.track.program
        if change.validated_data.get("needs_rework"):
            _refuse_unless(
                can_review_program(request.user, program),
                "Вернуть мероприятие на доработку может только проверяющий уровень.",
            )
            if activity.version != change.validated_data["version"]:
                return self._conflict(ActivityConflictError(activity))
            try:
                returned = activity_return(
                    actor=request.user,
                    activity=activity,
                    comment=change.validated_data.get("rework_comment", ""),
                    source=API,
                )
            except ValidationError as error:
                raise _service_errors(error) from error
            return Response(ActivitySerializer(returned).data)
        fields = change.changes()
        allowed = can_edit_program(request.user, program) or (
            set(fields) <= ActivityChangeSerializer.MARK_FIELDS
            and can_mark_activity(request.user, activity)
        )
        _refuse_unless(allowed, "Недостаточно прав для изменения мероприятия.")
        try:
            updated = activity_update(
                actor=request.user,
                activity_id=activity.pk,
                expected_version=change.validated_data["version"],
                data=fields,
                source=API,
            )
        except ActivityConflictError as conflict:
            return self._conflict(conflict)
        except ValidationError as error:
            raise _service_errors(error) from error
        return Response(ActivitySerializer(updated).data)

    def _conflict(self, conflict: ActivityConflictError) -> Response:
        current = ActivitySerializer(conflict.activity).data
        return Response(
            {"detail": conflict.messages[0], "current": current},
            status=status.HTTP_409_CONFLICT,
        )


@extend_schema_view(
    list=extend_schema(summary="Целевые показатели программ", tags=TAGS),
    retrieve=extend_schema(summary="Целевой показатель со значениями по годам", tags=TAGS),
)
class TargetViewSet(ScopedReadOnlyViewSet):
    capability = PROGRAM_VIEW
    serializer_class = TargetSerializer

    def base_queryset(self) -> QuerySet[Any]:
        return targets_base()


@extend_schema_view(
    list=extend_schema(summary="Отчётные периоды", tags=TAGS),
    retrieve=extend_schema(summary="Отчётный период", tags=TAGS),
)
class ReportingPeriodViewSet(ScopedReadOnlyViewSet):
    capability = PROGRAM_VIEW
    serializer_class = ReportingPeriodSerializer

    def base_queryset(self) -> QuerySet[Any]:
        return periods_base()


@extend_schema_view(
    list=extend_schema(summary="Отчёты программ", tags=TAGS),
    retrieve=extend_schema(summary="Отчёт программы", tags=TAGS),
)
class ProgramReportViewSet(ScopedReadOnlyViewSet):
    capability = PROGRAM_VIEW
    serializer_class = ProgramReportSerializer

    def base_queryset(self) -> QuerySet[Any]:
        return reports_base()


@extend_schema_view(
    list=extend_schema(summary="Сметы программ (строки)", tags=TAGS),
    retrieve=extend_schema(summary="Строка сметы", tags=TAGS),
)
class BudgetLineViewSet(ScopedReadOnlyViewSet):
    capability = PROGRAM_VIEW
    serializer_class = BudgetLineSerializer

    def base_queryset(self) -> QuerySet[Any]:
        return budget_base()
