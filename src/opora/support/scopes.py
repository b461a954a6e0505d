"""Scope registrations of the support models (called from SupportConfig.ready).

Who sees an object may be wider than its owner: both schools of a partner pair, every
municipality and school of a network or an event, the schools of a municipality its coordinator,
curators and consultation points, every unit of the region its experts.
"""

from opora.accounts.policy import register_scope


def register_support_scopes() -> None:
    from opora.support import models as m

    own = {"region": "region", "municipality": "municipality", "school": "school"}
    municipal = {
        "region": "region",
        "municipality": "municipality",
        "school": "municipality__schools",
    }
    register_scope(m.WorkingGroup, **own)
    register_scope(m.WorkingGroupMember, **{k: f"group__{v}" for k, v in own.items()})
    register_scope(m.Coordinator, **municipal)
    register_scope(m.CuratorAssignment, **municipal)
    register_scope(m.ConsultationPoint, **municipal)
    register_scope(m.TutorAssignment, **own)
    register_scope(m.BaseSchool, **own)
    register_scope(
        m.Expert,
        region="region",
        municipality="region__municipalities",
        school="region__municipalities__schools",
    )
    register_scope(
        m.PartnerPair, region="region", municipality="schools__municipality", school="schools"
    )
    network = {"region": "region", "municipality": "municipalities", "school": "members__school"}
    register_scope(m.MethodicalNetwork, **network)
    register_scope(m.NetworkMember, **{k: f"network__{v}" for k, v in network.items()})
    event = {
        "region": "region",
        "municipality": "municipalities",
        "school": "participations__school",
    }
    register_scope(m.Event, **event)
    register_scope(m.EventParticipation, **{k: f"event__{v}" for k, v in event.items()})
