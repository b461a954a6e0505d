"""Who may change a support object: its owner territory must be in the user's scope for the
capability (SUPPORT_EDIT for the structure, EVENT_EDIT for events).

Curators are assigned by the region (their assignment grants the curator role), so changing a
curator assignment needs SUPPORT_EDIT at the region level.
"""

from typing import Any

from opora.accounts.policy import Scope, scope_of
from opora.accounts.roles import Capability
from opora.support.models import CuratorAssignment, Event
from opora.support.models.base import OwnedModel

SUPPORT_VIEW = Capability.SUPPORT_VIEW
SUPPORT_EDIT = Capability.SUPPORT_EDIT
EVENT_EDIT = Capability.EVENT_EDIT


def edit_capability(model: type[OwnedModel]) -> str:
    return EVENT_EDIT if model is Event else SUPPORT_EDIT


def covers(scope: Scope, obj: OwnedModel) -> bool:
    """Whether `scope` reaches the owner territory of `obj` (at its level or above)."""
    return (
        scope.everything
        or obj.region_id in scope.region_ids
        or (obj.municipality_id is not None and obj.municipality_id in scope.municipality_ids)
        or (obj.school_id is not None and obj.school_id in scope.school_ids)
    )


def can_edit(user: Any, obj: OwnedModel) -> bool:
    """Change or delete `obj` (its territory as stored or as the form set it)."""
    scope = scope_of(user, edit_capability(type(obj)))
    if isinstance(obj, CuratorAssignment):
        return scope.everything or obj.region_id in scope.region_ids
    return covers(scope, obj)


def can_create(user: Any, model: type[OwnedModel]) -> bool:
    scope = scope_of(user, edit_capability(model))
    if model is CuratorAssignment:
        return scope.everything or bool(scope.region_ids)
    return not scope.is_empty
