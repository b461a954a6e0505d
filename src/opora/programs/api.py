"""API shapes of programs: serializers and base querysets.

The viewsets live in `opora.api.programs` (domain apps do not import the API package); they
scope every queryset built here with `objects_for` before any lookup applies.
"""

from typing import Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from opora.programs.choices import ActivityStatus, ProgramStatus
from opora.programs.models import Activity, Program, Track


def programs_base() -> QuerySet[Program]:
    return (
        Program.objects.select_related("region", "municipality", "school")
        .annotate(tracks_count=Count("tracks", distinct=True))
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


@extend_schema_field(
    {
        "type": "string",
        "description": "Статус рассмотрения: " + ", ".join(ProgramStatus.values),
    }
)
class ProgramStatusField(serializers.CharField):
    """The review status of a program, documented as a string so that its choices do not
    collide with the «status» enum of activities in the schema."""


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


class TrackSerializer(serializers.ModelSerializer):
    activities_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Track
        fields = ["id", "program", "position", "name", "activities_count"]
        read_only_fields = fields


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
            "version",
        ]
        read_only_fields = fields


class ActivityChangeSerializer(serializers.Serializer):
    """A change of an activity: `version` is the version the client read (optimistic lock)."""

    version = serializers.IntegerField(min_value=1)
    name = serializers.CharField(required=False)
    form = serializers.CharField(required=False, allow_blank=True, max_length=500)
    deadline_text = serializers.CharField(required=False, allow_blank=True, max_length=500)
    responsible_org = serializers.CharField(required=False, allow_blank=True, max_length=500)
    responsible_person = serializers.CharField(required=False, allow_blank=True, max_length=300)
    participants = serializers.CharField(required=False, allow_blank=True)
    expected_result = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    done_on = serializers.DateField(required=False, allow_null=True)
    completion_comment = serializers.CharField(required=False, allow_blank=True)

    def changes(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        data.pop("version")
        if data.get("status") not in (None, ActivityStatus.DONE) and "done_on" not in data:
            data["done_on"] = None
        return data
