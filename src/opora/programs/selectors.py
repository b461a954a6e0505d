"""Reads of programs for pages, the API, the exports and commands.

Every read that depends on the user goes through `objects_for`; the functions taking a program
assume the caller already obtained it in scope.
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability
from opora.programs.choices import CLOSED_STATUSES
from opora.programs.models import Activity, Program, Track

# Programs have no capabilities of their own yet: reading follows the school card, changing
# follows the right to edit school data in the same territory.
PROGRAM_VIEW = Capability.SCHOOL_VIEW
PROGRAM_EDIT = Capability.SCHOOL_EDIT


def programs_for(user: Any) -> QuerySet[Program]:
    """Programs the user may see, with the counts the list shows."""
    today = dt.date.today()
    return (
        objects_for(user, PROGRAM_VIEW, Program)
        .select_related("region", "municipality", "school")
        .annotate(
            activity_count=Count("tracks__activities", distinct=True),
            overdue_count=Count(
                "tracks__activities",
                filter=Q(tracks__activities__deadline_end__lt=today)
                & ~Q(tracks__activities__status__in=list(CLOSED_STATUSES)),
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
    today = today or dt.date.today()
    tasks = list(
        activities_for(user).filter(responsible_user=user).exclude(status__in=list(CLOSED_STATUSES))
    )
    far = dt.date.max
    return sorted(
        tasks,
        key=lambda a: (not a.is_overdue(today), a.deadline_end or far, a.track.program_id, a.pk),
    )
