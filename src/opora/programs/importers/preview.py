"""What a roadmap file was understood as, before anything is saved: tracks, activities, problems.

The readers (DOCX, XLSX) turn a file into a stream of `Paragraph` and `Row` items; the layout
recogniser turns the stream into a `RoadmapPreview`, which the user (or the command) checks and
which `roadmap_import_commit` saves.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from opora.programs.deadlines import Deadline, Kind, parse_deadline


@dataclass(frozen=True)
class Paragraph:
    """Text outside the tables (DOCX); `bold` is the text of its bold runs, if any."""

    text: str
    bold: str = ""


@dataclass(frozen=True)
class Row:
    """One table row as cell texts, one per grid column.

    `merged_all` — the row is one cell merged across the table; `inherited` — the columns whose
    cell is vertically merged with the row above (their text is the text above).
    """

    table: int
    index: int
    cells: tuple[str, ...]
    where: str
    merged_all: bool = False
    inherited: frozenset[int] = frozenset()


Item = Paragraph | Row


@dataclass
class ActivityDraft:
    """An activity as read from the file; the deadline is parsed by `RoadmapPreview.resolve`."""

    number: str
    name: str
    where: str
    form: str = ""
    deadline_text: str = ""
    responsible: str = ""
    expected_result: str = ""
    completion_mark: str = ""
    deadline: Deadline = field(default_factory=lambda: Deadline(Kind.UNPARSED))

    @property
    def expected_value(self) -> Decimal | None:
        """The first percentage written in the expected result («не менее 70%» → 70)."""
        match = re.search(r"(\d+(?:[.,]\d+)?)\s*%", self.expected_result)
        return Decimal(match.group(1).replace(",", ".")) if match else None


@dataclass
class TrackDraft:
    name: str
    where: str
    activities: list[ActivityDraft] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    """Something not understood: where in the file and what, in Russian."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class RoadmapPreview:
    tracks: list[TrackDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def activities(self) -> list[ActivityDraft]:
        return [activity for track in self.tracks for activity in track.activities]

    def resolve(self, school_year: int, last_year: int | None = None) -> None:
        """Parse every deadline in the program's school year; report the ones not understood."""
        for activity in self.activities:
            activity.deadline = parse_deadline(activity.deadline_text, school_year, last_year)
            if activity.deadline.kind == Kind.UNPARSED:
                shown = activity.deadline_text or "пусто"
                self.problems.append(
                    Problem(
                        activity.where,
                        f"срок мероприятия {activity.number or '(без номера)'} "
                        f"не распознан: «{shown}»",
                    )
                )
