"""API shapes of the support structure and events: serializers, base querysets and the save
function of each model. The viewsets are in `opora.api.support`."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from opora.programs.api_fields import documented_choice
from opora.support import models as m
from opora.support.choices import EventKind, EventLevel, GroupRole, NetworkRole
from opora.support.models.base import OwnedModel
from opora.support.services import (
    assignment_save,
    event_save,
    network_save,
    pair_save,
    support_save,
    working_group_save,
)
from opora.territory.models import School

OWNER = ["id", "region", "municipality", "school"]
PERSON = ["full_name", "position", "organisation", "phone", "email", "since", "until"]


class OwnedSerializer(serializers.ModelSerializer):
    """The owner territory: give the most specific unit; the region follows from it."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if "region" in fields:
            fields["region"].required = False
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None and not any(
            attrs.get(k) for k in ("region", "municipality", "school")
        ):
            raise serializers.ValidationError(
                "Укажите территорию: регион, муниципалитет или школу."
            )
        return attrs

    def extra(self) -> dict[str, Any]:
        """Values that are not model fields (children, the user's login)."""
        return {}


class WorkingGroupMemberSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=300)
    position = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    organisation = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    role = serializers.ChoiceField(choices=GroupRole.choices, default=GroupRole.MEMBER)


class WorkingGroupSerializer(OwnedSerializer):
    members = WorkingGroupMemberSerializer(many=True, required=False)

    class Meta:
        model = m.WorkingGroup
        fields = [*OWNER, "name", "order_number", "order_date", "purpose", "members"]


class CoordinatorSerializer(OwnedSerializer):
    class Meta:
        model = m.Coordinator
        fields = [*OWNER, *PERSON]


class AssignmentSerializer(OwnedSerializer):
    username = serializers.CharField(
        source="user.username", required=False, allow_blank=True, allow_null=True
    )


class CuratorSerializer(AssignmentSerializer):
    class Meta:
        model = m.CuratorAssignment
        fields = [*OWNER, *PERSON, "username"]


class TutorSerializer(AssignmentSerializer):
    class Meta:
        model = m.TutorAssignment
        fields = [*OWNER, *PERSON, "subject", "username"]


class ExpertSerializer(OwnedSerializer):
    class Meta:
        model = m.Expert
        fields = [*OWNER, *PERSON, "specialisation"]


class PairSerializer(OwnedSerializer):
    class Meta:
        model = m.PartnerPair
        fields = [
            *OWNER,
            "partner",
            "partner_kind",
            "focus",
            "agreement_number",
            "agreement_date",
            "since",
            "until",
            "origin",
            "origin_note",
        ]


class NetworkMemberSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    role = serializers.ChoiceField(choices=NetworkRole.choices, default=NetworkRole.MEMBER)


class NetworkSerializer(OwnedSerializer):
    members = NetworkMemberSerializer(many=True, required=False)

    class Meta:
        model = m.MethodicalNetwork
        fields = [*OWNER, "name", "topic", "since", "members"]


class BaseSchoolSerializer(OwnedSerializer):
    class Meta:
        model = m.BaseSchool
        fields = [*OWNER, "problem", "note", "since"]


class ConsultationPointSerializer(OwnedSerializer):
    class Meta:
        model = m.ConsultationPoint
        fields = [*OWNER, "name", "topic", "audience", "address", "schedule", "contact"]


class ParticipationSerializer(serializers.Serializer):
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.all())
    participants = serializers.IntegerField(min_value=0, default=0)


class EventSerializer(OwnedSerializer):
    kind = documented_choice(EventKind, "Вид мероприятия")()
    level = documented_choice(EventLevel, "Уровень мероприятия")()
    participations = ParticipationSerializer(many=True, required=False)

    class Meta:
        model = m.Event
        fields = [
            *OWNER,
            "kind",
            "level",
            "topic",
            "date_start",
            "date_end",
            "organiser",
            "hours",
            "audience",
            "participants_total",
            "activity",
            "participations",
        ]
        extra_kwargs = {"activity": {"read_only": True}}


Saver = Callable[[Any, Any, dict[str, Any], str], Any]


def _plain(actor: Any, instance: Any, extra: dict[str, Any], source: str) -> Any:
    return support_save(actor=actor, instance=instance, source=source)


def _group(actor: Any, instance: Any, extra: dict[str, Any], source: str) -> Any:
    return working_group_save(
        actor=actor, group=instance, members=extra.get("members"), source=source
    )


def _assignment(actor: Any, instance: Any, extra: dict[str, Any], source: str) -> Any:
    user = extra.get("user")
    username = user.get("username") if isinstance(user, dict) else None
    return assignment_save(
        actor=actor,
        instance=instance,
        username=None if user is None else (username or ""),
        source=source,
    )


def _pair(actor: Any, instance: Any, extra: dict[str, Any], source: str) -> Any:
    return pair_save(actor=actor, pair=instance, source=source)


def _network(actor: Any, instance: Any, extra: dict[str, Any], source: str) -> Any:
    members = extra.get("members")
    return network_save(
        actor=actor,
        network=instance,
        members=None if members is None else [(r["school"], r["role"]) for r in members],
        source=source,
    )


def _event(actor: Any, instance: Any, extra: dict[str, Any], source: str) -> Any:
    rows = extra.get("participations")
    return event_save(
        actor=actor,
        event=instance,
        participations=None if rows is None else [(r["school"], r["participants"]) for r in rows],
        source=source,
    )


@dataclass(frozen=True)
class ApiSpec:
    """One support endpoint: its model, serializer, how to read it and how to save it."""

    prefix: str
    model: type[OwnedModel]
    serializer: type[OwnedSerializer]
    save: Saver
    extra_fields: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def base(self) -> QuerySet[Any]:
        return self.model._default_manager.prefetch_related(*self.prefetch).order_by("pk")


API_SPECS = [
    ApiSpec(
        "working-groups", m.WorkingGroup, WorkingGroupSerializer, _group, ("members",), ("members",)
    ),
    ApiSpec("coordinators", m.Coordinator, CoordinatorSerializer, _plain),
    ApiSpec("curators", m.CuratorAssignment, CuratorSerializer, _assignment, ("user",)),
    ApiSpec("tutors", m.TutorAssignment, TutorSerializer, _assignment, ("user",)),
    ApiSpec("experts", m.Expert, ExpertSerializer, _plain),
    ApiSpec("pairs", m.PartnerPair, PairSerializer, _pair),
    ApiSpec(
        "networks", m.MethodicalNetwork, NetworkSerializer, _network, ("members",), ("members",)
    ),
    ApiSpec("base-schools", m.BaseSchool, BaseSchoolSerializer, _plain),
    ApiSpec("consultation-points", m.ConsultationPoint, ConsultationPointSerializer, _plain),
    ApiSpec("events", m.Event, EventSerializer, _event, ("participations",), ("participations",)),
]
