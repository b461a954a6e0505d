"""Template tags other pages use: the navigation links of programs and the overdue panel of
each role's home page."""

from typing import Any

from django import template

from opora.accounts.policy import user_can
from opora.core import clock
from opora.programs.permissions import PROGRAM_VIEW
from opora.programs.selectors import my_tasks, overdue_activities, overdue_by_owner

register = template.Library()


@register.inclusion_tag("programs/tags/nav.html", takes_context=True)
def programs_nav(context: dict[str, Any]) -> dict[str, Any]:
    """«Программы» and «Мои задачи» for users who see programs."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": user is not None and user.is_authenticated and user_can(user, PROGRAM_VIEW)}


@register.inclusion_tag("programs/tags/overdue_panel.html", takes_context=True)
def overdue_panel(context: dict[str, Any], limit: int = 8) -> dict[str, Any]:
    """Overdue activities in the user's scope: counts per program and the oldest ones, plus the
    user's own open tasks."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user_can(user, PROGRAM_VIEW):
        return {"show": False}
    today = clock.today()
    owners = overdue_by_owner(user, today)
    tasks = my_tasks(user, today)
    return {
        "show": True,
        "owners": owners[:limit],
        "more_owners": max(0, len(owners) - limit),
        "total": sum(o["overdue"] for o in owners),
        "oldest": overdue_activities(user, today, limit=5),
        "my_overdue": sum(a.is_overdue(today) for a in tasks),
        "my_open": len(tasks),
        "today": today,
    }
