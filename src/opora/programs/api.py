"""API shapes of programs: serializers and base querysets.

The viewsets live in `opora.api.programs` (domain apps do not import the API package); they
scope every queryset built here with `objects_for` before any lookup applies.
"""

from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opora.programs.api_fields import documented_choice
from opora.programs.choices import ActivityStatus, ProgramKind, ProgramStatus
from opora.programs.models import (
    Activity,
    BudgetLine,
    Program,
    ProgramReport,
    ProgramTarget,
    ReportingPeriod,
    TargetValue,
    Track,
)
from opora.programs.services import PASSPORT_FIELDS
from opora.territory.models import Municipality, Region, School


def programs_base() -> QuerySet[Program]:
    return (
        Program.objects.select_related("region", "municipality", "school")
        .annotate(tracks_count=Count("tracks", filter=Q(tracks__deleted_at__isnull=True)))
        .order_by("-period_start_year", "name", "id")
    )


def tracks_base() -> QuerySet[Track]:
    return Track.objects.annotate(activities_count=Count("activities")).order_by(
        "program_id", "position", "id"
    )


def activities_base() -> QuerySet[Activity]:
    return Activity.objects.select_related("track").order_by(
        "track__program_id", "track__position", "track_id", "position", "id"
    )


def targets_base() -> QuerySet[ProgramTarget]:
    return ProgramTarget.objects.prefetch_related("values").order_by("program_id", "position", "id")


def periods_base() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.order_by("-due_on", "id")


def budget_base() -> QuerySet[BudgetLine]:
    return BudgetLine.objects.order_by("program_id", "year", "track_id", "id")


def reports_base() -> QuerySet[ProgramReport]:
    return ProgramReport.objects.order_by("period_id", "program_id", "id")


@extend_schema_field(
    {
        "type": "string",
        "description": "Статус рассмотрения: " + ", ".join(ProgramStatus.values),
    }
)
class ProgramStatusField(serializers.CharField):
    """The review status of a program, documented as a string so that its choices do not
    collide with the «status» enum of activities in the schema."""


@extend_schema_field(
    {
        "type": "string",
        "description": "Перевод рассмотрения: submitted (отправить), approved (утвердить), "
        "returned (вернуть на доработку, с review_comment)",
    }
)
class ReviewMoveField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        moves = [ProgramStatus.SUBMITTED, ProgramStatus.APPROVED, ProgramStatus.RETURNED]
        super().__init__(choices=[(m.value, m.label) for m in moves], **kwargs)


class ProgramSerializer(serializers.ModelSerializer):
    tracks_count = serializers.IntegerField(read_only=True)
    status = ProgramStatusField(read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "level",
            "kind",
            "name",
            "period_start_year",
            "period_end_year",
            "region",
            "municipality",
            "school",
            "status",
            "review_comment",
            "developer",
            "executors",
            "normative_basis",
            "goal",
            "tasks",
            "expected_results",
            "funding",
            "tracks_count",
        ]
        read_only_fields = fields


class ProgramCreateSerializer(serializers.Serializer):
    """A new program: the kind gives the level; give the school, the municipality or the region."""

    kind = documented_choice(ProgramKind, "Вид программы")()
    name = serializers.CharField(max_length=500)
    period_start_year = serializers.IntegerField(min_value=2000, max_value=2100)
    period_end_year = serializers.IntegerField(min_value=2000, max_value=2100)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), required=False)
    municipality = serializers.PrimaryKeyRelatedField(
        queryset=Municipality.objects.all(), required=False
    )
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all(), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(attrs.get(k) for k in ("region", "municipality", "school")):
            raise serializers.ValidationError("Укажите школу, муниципалитет или регион программы.")
        return attrs


class ProgramChangeSerializer(serializers.Serializer):
    """Passport fields, and `status` to move the review: «submitted» (by the program's own level),
    «approved» or «returned» with `review_comment` (by the level above)."""

    name = serializers.CharField(required=False, max_length=500)
    period_start_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    period_end_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    developer = serializers.CharField(required=False, allow_blank=True)
    executors = serializers.CharField(required=False, allow_blank=True)
    normative_basis = serializers.CharField(required=False, allow_blank=True)
    goal = serializers.CharField(required=False, allow_blank=True)
    tasks = serializers.CharField(required=False, allow_blank=True)
    expected_results = serializers.CharField(required=False, allow_blank=True)
    funding = serializers.CharField(required=False, allow_blank=True)
    status = ReviewMoveField(required=False)
    review_comment = serializers.CharField(required=False, allow_blank=True)

    def passport(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k in PASSPORT_FIELDS}


class TrackSerializer(serializers.ModelSerializer):
    activities_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Track
        fields = ["id", "program", "position", "name", "activities_count"]
        read_only_fields = ["id", "activities_count"]
        extra_kwargs = {"program": {"queryset": Program.objects.all()}}


class TrackChangeSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=1000)
    position = serializers.IntegerField(required=False, min_value=1)


class ActivitySerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="track.program_id", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "program",
            "track",
            "position",
            "number",
            "name",
            "form",
            "deadline_text",
            "deadline_kind",
            "deadline_start",
            "deadline_end",
            "responsible_org",
            "responsible_person",
            "participants",
            "expected_result",
            "expected_value",
            "status",
            "done_on",
            "completion_comment",
            "needs_rework",
            "rework_comment",
            "version",
        ]
        read_only_fields = fields


class ActivityCreateSerializer(serializers.Serializer):
    """A new activity of a track; the deadline is parsed from `deadline_text`."""

    track = serializers.PrimaryKeyRelatedField(queryset=Track.objects.all())
    number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    name = serializers.CharField()
    form = serializers.CharField(required=False, allow_blank=True, max_length=500)
    deadline_text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    responsible_org = serializers.CharField(required=False, allow_blank=True, max_length=500)
    responsible_person = serializers.CharField(required=False, allow_blank=True, max_length=300)
    participants = serializers.CharField(required=False, allow_blank=True)
    expected_result = serializers.CharField(required=False, allow_blank=True)

    def data_fields(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("track")
        return data


class ActivityChangeSerializer(serializers.Serializer):
    """A change of an activity: `version` is the version the client read (optimistic lock).
    A reviewer returns it for rework with `needs_rework: true` and `rework_comment`."""

    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(required=False)
    form = serializers.CharField(required=False, allow_blank=True, max_length=500)
    deadline_text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    responsible_org = serializers.CharField(required=False, allow_blank=True, max_length=500)
    responsible_person = serializers.CharField(required=False, allow_blank=True, max_length=300)
    participants = serializers.CharField(required=False, allow_blank=True)
    expected_result = serializers.CharField(required=False, allow_blank=True)
    status = documented_choice(ActivityStatus, "Статус мероприятия")(required=False)
    done_on = serializers.DateField(required=False, allow_null=True)
    completion_comment = serializers.CharField(required=False, allow_blank=True)
    needs_rework = serializers.BooleanField(required=False)
    rework_comment = serializers.CharField(required=False, allow_blank=True)

    MARK_FIELDS = frozenset({"status", "done_on", "completion_comment"})

    def changes(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("version")
        data.pop("needs_rework", None)
        data.pop("rework_comment", None)
        if data.get("status") not in (None, ActivityStatus.DONE) and "done_on" not in data:
            data["done_on"] = None
        return data


class TargetValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetValue
        fields = ["year", "value", "actual_value", "actual_source"]
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    values = TargetValueSerializer(many=True, read_only=True)

    class Meta:
        model = ProgramTarget
        fields = [
            "id",
            "program",
            "position",
            "indicator_code",
            "name",
            "subject",
            "unit",
            "direction",
            "baseline_year",
            "baseline_value",
            "values",
        ]
        read_only_fields = fields


class ReportingPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "region", "name", "level", "opens_on", "due_on"]
        read_only_fields = fields


class ProgramReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgramReport
        fields = ["id", "period", "program", "submitted_on", "comment", "summary"]
        read_only_fields = fields


class BudgetLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "program", "track", "item", "year", "funding_source", "planned", "spent"]
        read_only_fields = fields
