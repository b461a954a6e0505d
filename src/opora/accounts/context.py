"""Template context: the navigation a user is allowed to see."""

from typing import Any

from django.http import HttpRequest

from opora.accounts.policy import user_can
from opora.accounts.roles import Capability


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "territory": user_can(user, Capability.TERRITORY_VIEW),
            "schools": user_can(user, Capability.SCHOOL_VIEW),
            "import": user_can(user, Capability.REGISTRY_IMPORT),
            "audit": user_can(user, Capability.AUDIT_VIEW),
            "admin": user.is_staff,
        }
    }
