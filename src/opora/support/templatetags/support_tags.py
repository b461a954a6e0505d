"""The navigation link of the support pages."""

from typing import Any

from django import template

from opora.accounts.policy import user_can
from opora.support.permissions import SUPPORT_VIEW

register = template.Library()


@register.inclusion_tag("support/tags/nav.html", takes_context=True)
def support_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": user is not None and user.is_authenticated and user_can(user, SUPPORT_VIEW)}
