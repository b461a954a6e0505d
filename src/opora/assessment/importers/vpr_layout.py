"""The table of a ВПР collection form on one sheet: where its header is, which column is which
task, the «Максимальный балл» row, and the rows of participants.

See docs/results-import.md, «Форма сбора результатов ВПР», for the layout this reads.
"""

import re
from dataclasses import dataclass, field

from opora.assessment.pseudonym import is_personal_header
from opora.core.importing.headers import HeaderIndex, column_letter, normalize_text

SCAN_ROWS = 40  # the header row is looked for in the first rows of a sheet
COLUMNS = HeaderIndex(
    [
        (
            "code",
            (
                "Код участника",
                "Код",
                "Код ученика",
                "Код обучающегося",
                "Идентификатор участника",
                "Номер участника",
            ),
        ),
        (
            "total",
            (
                "Сумма баллов",
                "Первичный балл",
                "Сумма",
                "Итого баллов",
                "Общий балл",
                "Сумма первичных баллов",
            ),
        ),
        (
            "mark",
            ("Отметка", "Отметка за работу", "Оценка", "Оценка за работу", "Отметка за ВПР"),
        ),
        (
            "journal_mark_term",
            (
                "Отметка за предыдущую четверть",
                "Отметка за предыдущий триместр",
                "Отметка за предыдущую четверть/триместр",
                "Отметка за предыдущую четверть/триместр/полугодие",
                "Отметка за четверть",
                "Отметка за триместр",
                "Отметка за полугодие",
                "Отметка по журналу",
                "Четвертная отметка",
            ),
        ),
        (
            "journal_mark_year",
            ("Годовая отметка", "Отметка за год", "Отметка за предыдущий год", "Итоговая отметка"),
        ),
        ("class_label", ("Класс", "Литера класса")),
        ("ignored", ("Вариант", "Номер варианта", "Пол")),
    ]
)
NUMBER_HEADERS = {"№", "№п/п", "№пп", "n", "номер", "номерпп", "номерп/п", "n/n", "№n/n"}
_TASK = re.compile(
    r"^(?:задание|зад\.?|з\.?)?№?(\d{1,2}(?:[.,]\d{1,2})?(?:\(?[кk]\d{1,2}\)?)?[а-еa-e]?)$"
)
_MAX_ROW = ("макс", "максимальный балл", "максимум")


@dataclass
class Layout:
    """Where things are on one sheet; positions are 0-based column indexes."""

    header_row: int  # 0-based
    top: int  # first 0-based row of the header (labels above it belong to the sheet)
    fields: dict[str, int] = field(default_factory=dict)  # field → position
    headers: dict[str, str] = field(default_factory=dict)  # field → header text
    tasks: list[tuple[int, str]] = field(default_factory=list)  # (position, task label)
    number: int | None = None  # the «№» column, used as the code when there is no code
    max_row: int | None = None  # 0-based row of «Максимальный балл»
    dropped: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def code_position(self) -> int | None:
        return self.fields.get("code", self.number)

    def letter(self, name: str) -> str:
        position = self.code_position if name == "code" else self.fields.get(name)
        return column_letter(position) if position is not None else ""


def task_label(text: str) -> str | None:
    """«1», «3.1», «4,2», «1К1», «Задание 5», «12а» → the task label; else None."""
    compact = text.strip().casefold().replace("ё", "е").replace(" ", "")
    match = _TASK.match(compact)
    return match.group(1).replace(",", ".").upper() if match else None


def _is_number_header(text: str) -> bool:
    return text.strip().casefold().replace(" ", "") in NUMBER_HEADERS


def _header_at(rows: list[list[str]], number: int) -> bool:
    row = rows[number]
    if not any(task_label(text) for text in row if text):
        return False
    above = rows[number - 1] if number else []
    for texts in (row, above):
        for text in texts:
            if text and (_is_number_header(text) or COLUMNS.match(text) == "code"):
                return True
    return False


def find_layout(rows: list[list[str]]) -> Layout | None:
    """The table of a sheet, or None if the sheet has no participant table."""
    number = next((n for n in range(min(len(rows), SCAN_ROWS)) if _header_at(rows, n)), None)
    if number is None:
        return None
    layout = Layout(header_row=number, top=number)
    row = rows[number]
    above = rows[number - 1] if number else []
    width = max(len(row), len(above))
    for position in range(width):
        text = row[position] if position < len(row) else ""
        if not text and position < len(above):
            candidate = above[position]
            if candidate and (_is_number_header(candidate) or COLUMNS.match(candidate)):
                text, layout.top = candidate, number - 1
        if text:
            _place(layout, position, text)
    following = rows[number + 1] if number + 1 < len(rows) else []
    first = next((text for text in following if text), "")
    if normalize_text(first).startswith(_MAX_ROW):
        layout.max_row = number + 1
    if "code" not in layout.fields and layout.number is None:
        layout.problems.append("нет столбца «Код участника» (или «№»)")
    return layout


def _place(layout: Layout, position: int, text: str) -> None:
    if is_personal_header(text):
        layout.dropped.append(text)
        return
    label = task_label(text)
    if label is not None:
        if any(label == known for _, known in layout.tasks):
            layout.problems.append(f"задание «{text}» повторяется ({column_letter(position)})")
        layout.tasks.append((position, label))
        return
    if _is_number_header(text):
        layout.number = position
        return
    key = COLUMNS.match(text)
    if key is None or key == "ignored":
        return
    if key in layout.fields:
        layout.problems.append(
            f"столбец «{text}» ({column_letter(position)}) повторяет столбец "
            f"«{layout.headers[key]}» ({column_letter(layout.fields[key])})"
        )
        return
    layout.fields[key] = position
    layout.headers[key] = text


def data_rows(rows: list[list[str]], layout: Layout) -> tuple[list[int], int | None]:
    """0-based rows of participants, and a row after the table's end that still has scores.

    The table ends at its first empty row after the first participant; signatures below it are
    not read, but a row with two or more scores there means a stray empty row cut the table.
    """
    start = (layout.max_row if layout.max_row is not None else layout.header_row) + 1
    positions = [p for p, _ in layout.tasks] + [
        layout.fields[k] for k in ("total", "mark") if k in layout.fields
    ]
    used = sorted(
        {
            *positions,
            *layout.fields.values(),
            *([layout.number] if layout.number is not None else []),
        }
    )
    body: list[int] = []
    number = start
    while number < len(rows):
        row = rows[number]
        filled = any(p < len(row) and row[p] for p in used)
        if not filled:
            if body:
                break
        else:
            body.append(number)
        number += 1
    for later in range(number + 1, len(rows)):
        row = rows[later]
        if sum(1 for p in positions if p < len(row) and row[p]) >= 2:
            return body, later
    return body, None
