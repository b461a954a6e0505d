"""The yearly context of one school as tables: the last three years with changes and shares."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from opora.territory.models import SNAPSHOT_GROUPS, School, SchoolSnapshot

CARD_YEARS = 3
EMPTY_CELL = mark_safe('<span class="muted">—</span>')  # a constant, no user data

# Derived shares shown after a group: (group, Russian label, part field, whole field).
DERIVED_SHARES: list[tuple[str, str, str, str]] = [
    ("Кадры", "доля учителей высшей категории, %", "teachers_highest_category", "teachers_total"),
    ("Кадры", "доля учителей первой категории, %", "teachers_first_category", "teachers_total"),
    ("Кадры", "доля учителей старше 55 лет, %", "teachers_over_55", "teachers_total"),
    ("Кадры", "доля учителей моложе 35 лет, %", "teachers_under_35", "teachers_total"),
    (
        "Кадры",
        "доля учителей без профильной подготовки, %",
        "teachers_without_subject_training",
        "teachers_total",
    ),
    (
        "Оснащение",
        "доля кабинетов с проектором, %",
        "classrooms_with_projector",
        "classrooms_total",
    ),
    (
        "Оснащение",
        "доля кабинетов с интерактивной доской, %",
        "classrooms_with_board",
        "classrooms_total",
    ),
    ("Оснащение", "доля устаревших компьютеров, %", "computers_outdated", "computers_total"),
    (
        "Оснащение",
        "доля зданий, требующих ремонта, %",
        "buildings_need_repair",
        "buildings_total",
    ),
]


@dataclass
class Cell:
    """One value of a year and its change against the previous year (when both are known)."""

    value: Any
    change: Any = None
    is_bool: bool = False

    @property
    def direction(self) -> str:
        """ "up", "down" or "" for no change or no comparison."""
        if self.change is None or self.is_bool or self.change == 0:
            return ""
        return "up" if self.change > 0 else "down"

    @property
    def html(self) -> SafeString:
        """The cell as HTML: the value and, when known, ▲/▼ with the change."""
        if self.value is None:
            return EMPTY_CELL
        if self.is_bool:
            return format_html("{}", "да" if self.value else "нет")
        value = format_html('<span class="value">{}</span>', format_number(self.value))
        if not self.direction:
            return value
        arrow, sign = ("▲", "+") if self.direction == "up" else ("▼", "−")
        return format_html(
            '{} <small class="change change-{}" title="изменение к предыдущему году">'
            "{}\xa0{}{}</small>",
            value,
            self.direction,
            arrow,
            sign,
            format_number(abs(self.change)),
        )


def format_number(value: Any) -> str:
    """A number the Russian way: 1 234,5 (no trailing zeros of decimals)."""
    if isinstance(value, Decimal):
        text = f"{value:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        value = Decimal(text)
    return number_format(value, force_grouping=True)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    derived: bool = False
    is_share: bool = False


@dataclass
class Group:
    title: str
    rows: list[Row]


def _share(part: Any, whole: Any) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _cells(values: list[Any], *, is_bool: bool = False) -> list[Cell]:
    """Cells for the shown years; `values` has one more (older) year at the end when known."""
    cells = []
    for index in range(len(values) - 1 if len(values) > CARD_YEARS else len(values)):
        value, change = values[index], None
        if index + 1 < len(values):
            previous = values[index + 1]
            if not is_bool and value is not None and previous is not None:
                change = value - previous
        cells.append(Cell(value=value, change=change, is_bool=is_bool))
    return cells


def recent_snapshots(school: School) -> list[SchoolSnapshot]:
    """The latest CARD_YEARS + 1 snapshots, newest first (the extra one gives the first change)."""
    return list(SchoolSnapshot.objects.filter(school=school).order_by("-year")[: CARD_YEARS + 1])


def dynamics(snapshots: list[SchoolSnapshot]) -> tuple[list[SchoolSnapshot], list[Group]]:
    """Tables of the card: shown snapshots (oldest first) and groups of rows of values by year.

    Columns go from the oldest to the newest year; each cell knows its change against the year
    before it.
    """
    if not snapshots:
        return [], []
    fields = {f.name: f for f in SchoolSnapshot._meta.get_fields() if hasattr(f, "verbose_name")}
    groups: list[Group] = []
    for title, names in SNAPSHOT_GROUPS:
        rows: list[Row] = []
        if title == "Контингент":
            rows.append(
                Row(
                    label="обучающихся всего",
                    cells=_cells([s.students_total for s in snapshots]),
                )
            )
        for name in names:
            model_field = fields[name]
            is_bool = model_field.get_internal_type() == "BooleanField"
            rows.append(
                Row(
                    label=str(model_field.verbose_name),
                    cells=_cells([getattr(s, name) for s in snapshots], is_bool=is_bool),
                    is_share=name.endswith("_share"),
                )
            )
        for group_title, label, part, whole in DERIVED_SHARES:
            if group_title == title:
                values = [_share(getattr(s, part), getattr(s, whole)) for s in snapshots]
                rows.append(Row(label=label, cells=_cells(values), derived=True, is_share=True))
        for row in rows:
            row.cells.reverse()
        groups.append(Group(title=title, rows=rows))
    shown = list(reversed(snapshots[:CARD_YEARS]))
    return shown, groups
