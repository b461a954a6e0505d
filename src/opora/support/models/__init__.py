"""Models of the support app: the structure, partnerships and events."""

from opora.support.models.events import Event, EventParticipation
from opora.support.models.partners import (
    BaseSchool,
    ConsultationPoint,
    MethodicalNetwork,
    NetworkMember,
    PartnerPair,
    agreement_path,
)
from opora.support.models.structure import (
    Coordinator,
    CuratorAssignment,
    Expert,
    TutorAssignment,
    WorkingGroup,
    WorkingGroupMember,
)

__all__ = [
    "BaseSchool",
    "ConsultationPoint",
    "Coordinator",
    "CuratorAssignment",
    "Event",
    "EventParticipation",
    "Expert",
    "MethodicalNetwork",
    "NetworkMember",
    "PartnerPair",
    "TutorAssignment",
    "WorkingGroup",
    "WorkingGroupMember",
    "agreement_path",
]
