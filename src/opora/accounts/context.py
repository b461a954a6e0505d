"""Template context: the navigation a user is allowed to see."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from opora.accounts.policy import objects_for, scope_of, user_can
from opora.accounts.roles import Capability
from opora.core.clock import fixed_today


def _home_region_id(user: Any) -> int | None:
    """The region whose overview the navigation links to: the first region the user sees."""
    scope = scope_of(user, Capability.TERRITORY_VIEW)
    if scope.region_ids:
        return min(scope.region_ids)
    if scope.is_empty:
        return None
    from opora.territory.models import Region

    return (
        objects_for(user, Capability.TERRITORY_VIEW, Region)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`nav`: which sections the user may open, and `nav.region_id` for the region overview;
    `fixed_today`: the date set by OPORA_TODAY that deadlines count from, or None."""
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}, "fixed_today": fixed_today()}
    return {
        "fixed_today": fixed_today(),
        "nav": {
            "territory": user_can(user, Capability.TERRITORY_VIEW),
            "region_id": SimpleLazyObject(lambda: _home_region_id(user)),
            "schools": user_can(user, Capability.SCHOOL_VIEW),
            "import": user_can(user, Capability.REGISTRY_IMPORT),
            "audit": user_can(user, Capability.AUDIT_VIEW),
            "admin": user.is_staff,
        },
    }
