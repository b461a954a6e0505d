"""Reads of programs for pages, the API, the exports and commands.

Every read that depends on the user goes through `objects_for`; the functions taking a program
assume the caller already obtained it in scope.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from opora.accounts.policy import objects_for
from opora.core import clock
from opora.programs.choices import CLOSED_STATUSES
from opora.programs.models import Activity, Program, Track
from opora.programs.permissions import PROGRAM_EDIT, PROGRAM_VIEW

__all__ = ["PROGRAM_EDIT", "PROGRAM_VIEW"]


def programs_for(user: Any) -> QuerySet[Program]:
    """Programs the user may see, with the counts the list shows."""
    today = clock.today()
    return (
        objects_for(user, PROGRAM_VIEW, Program)
        .select_related("region", "municipality", "school")
        .annotate(
            activity_count=Count(
                "tracks__activities", filter=Q(tracks__deleted_at__isnull=True), distinct=True
            ),
            overdue_count=Count(
                "tracks__activities",
                filter=overdue_q(today, "tracks__activities__")
                & Q(tracks__deleted_at__isnull=True),
                distinct=True,
            ),
        )
    )


def roadmap(program: Program) -> list[Track]:
    """The tracks of a program in order, each with its activities prefetched in order."""
    return list(
        program.tracks.order_by("position", "id").prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.order_by("position", "id").select_related(
                    "responsible_user"
                ),
            )
        )
    )


def activities_for(user: Any) -> QuerySet[Activity]:
    """Activities the user may see, with their program and track."""
    return objects_for(user, PROGRAM_VIEW, Activity).select_related(
        "track__program__municipality", "track__program__school"
    )


def my_tasks(user: Any, today: dt.date | None = None) -> list[Activity]:
    """Open activities the user is responsible for, overdue first, then by deadline."""
    today = today or clock.today()
    tasks = list(
        activities_for(user).filter(responsible_user=user).exclude(status__in=list(CLOSED_STATUSES))
    )
    far = dt.date.max
    return sorted(
        tasks,
        key=lambda a: (not a.is_overdue(today), a.deadline_end or far, a.track.program_id, a.pk),
    )


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Activities whose interval has passed and that are neither done nor cancelled."""
    return Q(**{f"{prefix}deadline_end__lt": today}) & ~Q(
        **{f"{prefix}status__in": list(CLOSED_STATUSES)}
    )


def overdue_activities(user: Any, today: dt.date, limit: int = 10) -> list[Activity]:
    """The overdue activities in the user's scope, the longest overdue first."""
    return list(
        activities_for(user)
        .filter(overdue_q(today))
        .select_related("track__program__region", "responsible_user")
        .order_by("deadline_end", "track__program_id", "position", "id")[:limit]
    )


def overdue_by_owner(user: Any, today: dt.date) -> list[dict[str, Any]]:
    """Overdue activities counted per program in the user's scope, most overdue first."""
    rows: Any = (
        objects_for(user, PROGRAM_VIEW, Program)
        .annotate(
            overdue=Count(
                "tracks__activities",
                filter=overdue_q(today, "tracks__activities__")
                & Q(tracks__deleted_at__isnull=True),
            )
        )
        .filter(overdue__gt=0)
        .order_by("-overdue", "name", "id")
        .values("id", "name", "level", "overdue", "school__short_name", "municipality__name")
    )
    return [dict(row) for row in rows]
