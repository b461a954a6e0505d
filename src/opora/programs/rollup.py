"""The roll-up of roadmap execution (DOMAIN §5.10): per municipality and per program in the
user's scope — activities, done, in progress, overdue and the share done of those due."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from opora.accounts.policy import objects_for
from opora.programs.choices import CLOSED_STATUSES, ActivityStatus, ProgramLevel
from opora.programs.models import Program
from opora.programs.permissions import PROGRAM_VIEW

LIVE = Q(tracks__deleted_at__isnull=True)
PREFIX = "tracks__activities__"


@dataclass
class Execution:
    """Counts of activities; `due` are those whose interval has ended by the day."""

    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    due: int = 0
    due_done: int = 0

    def add(self, other: "Execution") -> None:
        for name in ("total", "done", "in_progress", "overdue", "due", "due_done"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def done_share(self) -> float | None:
        """Share done of the activities due (in %), None when nothing is due yet."""
        return None if not self.due else 100 * self.due_done / self.due


@dataclass
class Area:
    """A municipality (or the region) with its own program and its schools' programs."""

    name: str
    rows: list[tuple[Program, Execution]] = field(default_factory=list)
    total: Execution = field(default_factory=Execution)


def _annotated(user: Any, today: dt.date) -> Any:
    due = Q(**{f"{PREFIX}deadline_end__lt": today})
    return (
        objects_for(user, PROGRAM_VIEW, Program)
        .select_related("region", "municipality", "school")
        .annotate(
            n_total=Count(f"{PREFIX}id", filter=LIVE),
            n_done=Count(
                f"{PREFIX}id", filter=LIVE & Q(**{f"{PREFIX}status": ActivityStatus.DONE})
            ),
            n_progress=Count(
                f"{PREFIX}id", filter=LIVE & Q(**{f"{PREFIX}status": ActivityStatus.IN_PROGRESS})
            ),
            n_overdue=Count(
                f"{PREFIX}id",
                filter=LIVE & due & ~Q(**{f"{PREFIX}status__in": list(CLOSED_STATUSES)}),
            ),
            n_due=Count(
                f"{PREFIX}id",
                filter=LIVE & due & ~Q(**{f"{PREFIX}status": ActivityStatus.CANCELLED}),
            ),
            n_due_done=Count(
                f"{PREFIX}id", filter=LIVE & due & Q(**{f"{PREFIX}status": ActivityStatus.DONE})
            ),
        )
        .order_by("municipality__name", "level", "school__short_name", "name", "id")
    )


def rollup(user: Any, today: dt.date) -> tuple[list[Area], Execution]:
    """Areas (the region's own programs first, then municipalities by name) and the total."""
    areas: dict[str, Area] = {}
    total = Execution()
    for program in _annotated(user, today):
        execution = Execution(
            program.n_total,
            program.n_done,
            program.n_progress,
            program.n_overdue,
            program.n_due,
            program.n_due_done,
        )
        key = program.municipality.name if program.municipality else ""
        area = areas.setdefault(key, Area(key or f"{program.region.name}: региональные программы"))
        area.rows.append((program, execution))
        area.total.add(execution)
        total.add(execution)
    ordered = sorted(areas.items(), key=lambda item: (item[0] != "", item[0]))
    for _, area in ordered:
        area.rows.sort(key=lambda r: (r[0].level != ProgramLevel.MUNICIPALITY, r[0].owner_name))
    return [area for _, area in ordered], total
