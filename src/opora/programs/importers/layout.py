"""Recognising a roadmap in a stream of paragraphs and table rows (pure, no Django, no files).

Assumptions (docs/programs.md): a table starts with a header row naming its columns; a row merged
across the table, or whose only text is a title in the first two columns, starts a section
(track); a row with an empty № continues the previous activity (a row broken by a page break); a
table without a header continues the previous one; the track of a table without a section row is
named by the text before the table (its bold part, else its first short paragraph).
"""

import re
from dataclasses import dataclass, field

from opora.programs.importers.preview import (
    ActivityDraft,
    Item,
    Paragraph,
    Problem,
    RoadmapPreview,
    Row,
    TrackDraft,
)

# role → the stems a header cell of that role contains; checked in this order.
_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("form", ("форма",)),
    ("deadline", ("срок",)),
    ("responsible", ("ответствен", "исполнител")),
    ("result", ("результат",)),
    ("mark", ("отметк", "выполнени")),
    ("name", ("мероприят", "наименован", "содержание")),
    ("number", ("№", "п/п", "номер")),
)
_FIELD = {
    "form": "form",
    "deadline": "deadline_text",
    "responsible": "responsible",
    "result": "expected_result",
    "mark": "completion_mark",
    "name": "name",
}
_NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?$")
_NUMBERED_TITLE_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_HEADER_LEFTOVERS = {"п/п", "исполнения", "проведения", "_", "—", "-"}


def clean(text: str) -> str:
    """Cell text without markup and with single spaces."""
    text = re.sub(r"<[^>]+>", " ", text or "")
    return re.sub(r"\s+", " ", text).strip()


def header_roles(cells: tuple[str, ...]) -> dict[str, int]:
    """Map roles to column indexes when `cells` look like a roadmap header, else {}."""
    roles: dict[str, int] = {}
    for index, raw in enumerate(cells):
        text = clean(raw).lower()
        if not text or len(text) > 60:
            continue
        for role, stems in _ROLES:
            if role not in roles and any(stem in text for stem in stems):
                roles[role] = index
                break
    if "name" in roles and len(roles) >= 3 and ("deadline" in roles or "responsible" in roles):
        return roles
    return {}


def _is_header_leftover(row: Row) -> bool:
    """The second line of a two-line header («п/п», «исполнения») or a row of column numbers."""
    texts = [(i, clean(c).lower()) for i, c in enumerate(row.cells)]
    filled = [(i, t) for i, t in texts if t]
    if not filled:
        return False
    if all(t.isdigit() and int(t) == i + 1 for i, t in filled) and len(filled) >= 3:
        return True
    return all(t in _HEADER_LEFTOVERS for _, t in filled)


def _looks_like_title(text: str) -> bool:
    if _NUMBERED_TITLE_RE.match(text):
        return True
    return len(text) >= 15 and text[0].isupper() and text[1:2].islower()


@dataclass
class _State:
    preview: RoadmapPreview = field(default_factory=RoadmapPreview)
    roles: dict[str, int] = field(default_factory=dict)
    width: int = 0
    table: int = -1
    track: TrackDraft | None = None
    needs_track: bool = False
    heading: list[Paragraph] = field(default_factory=list)
    block_heading: list[Paragraph] = field(default_factory=list)
    skipped_table: int = -1
    last: ActivityDraft | None = None

    def problem(self, where: str, message: str) -> None:
        self.preview.problems.append(Problem(where, message))

    def open_track(self, name: str, where: str) -> TrackDraft:
        self.track = TrackDraft(name=name.rstrip(" .:"), where=where)
        self.preview.tracks.append(self.track)
        self.needs_track = False
        self.last = None
        return self.track


def _heading_name(paragraphs: list[Paragraph]) -> str | None:
    bold = [p.bold for p in paragraphs if p.bold.strip()]
    if bold:
        return clean(bold[-1])
    for paragraph in paragraphs:
        text = clean(paragraph.text)
        if text and len(text) <= 200 and not text.endswith(":"):
            return text
    return None


def _current_track(state: _State, where: str) -> TrackDraft:
    if state.track is not None and not state.needs_track:
        return state.track
    if state.track is not None and not state.track.activities:
        state.needs_track = False
        return state.track
    name = _heading_name(state.block_heading)
    state.block_heading = []
    if name is None:
        name = f"Раздел {len(state.preview.tracks) + 1}"
        state.problem(where, f"название направления не найдено, названо «{name}»")
    return state.open_track(name, where)


def _cell(row: Row, state: _State, role: str, *, keep_inherited: bool = True) -> str:
    index = state.roles.get(role)
    if index is None or index >= len(row.cells):
        return ""
    if not keep_inherited and index in row.inherited:
        return ""
    return clean(row.cells[index])


def _new_activity(state: _State, row: Row, number: str) -> None:
    track = _current_track(state, row.where)
    activity = ActivityDraft(number=number, name="", where=row.where)
    for role, attr in _FIELD.items():
        setattr(activity, attr, _cell(row, state, role))
    if not activity.name:
        state.problem(row.where, f"у мероприятия {number or '(без номера)'} нет наименования")
    track.activities.append(activity)
    state.last = activity


def _continue_activity(state: _State, row: Row) -> None:
    assert state.last is not None
    for role, attr in _FIELD.items():
        text = _cell(row, state, role, keep_inherited=False)
        if text:
            previous = getattr(state.last, attr)
            setattr(state.last, attr, f"{previous} {text}".strip())


def _row(state: _State, row: Row, new_table: bool) -> None:
    texts = [clean(c) for c in row.cells]
    filled = [(i, t) for i, t in enumerate(texts) if t]
    if not filled or row.table == state.skipped_table:
        return
    roles = header_roles(row.cells)
    if roles:
        if state.roles and not new_table and state.track and state.track.activities:
            state.needs_track = True  # a header repeated inside one table starts a new block
        state.roles, state.width = roles, len(row.cells)
        return
    if not state.roles:
        return  # rows above the first header: the title of the annex, a passport table
    if new_table and len(row.cells) != state.width:
        state.skipped_table = row.table
        state.problem(row.where, "таблица без строки заголовков и другой ширины — пропущена")
        return
    if _is_header_leftover(row):
        return
    distinct = {t for _, t in filled}
    number_col = state.roles.get("number", 0)
    name_col = state.roles.get("name", 1)
    if row.merged_all or (len(filled) > 1 and len(distinct) == 1 and len(filled) == len(texts)):
        _section(state, filled[0][1], row.where)
        return
    number = texts[number_col] if number_col < len(texts) else ""
    if number_col in row.inherited:
        number = ""
    numbered = _NUMBER_RE.match(number) if number else None
    if numbered:
        _new_activity(state, row, numbered.group(1))
        return
    if (
        len(filled) == 1
        and filled[0][0] in (number_col, name_col)
        and (_looks_like_title(filled[0][1]) or (number and not state.last))
    ):
        _section(state, filled[0][1], row.where)
        return
    if number:
        _new_activity(state, row, number)
        return
    _unnumbered(state, row)


def _unnumbered(state: _State, row: Row) -> None:
    name = _cell(row, state, "name", keep_inherited=False)
    others = sum(
        1
        for role in ("form", "deadline", "responsible")
        if _cell(row, state, role, keep_inherited=False)
    )
    if state.last is None or (name[:1].isupper() and others >= 2):
        if not name:
            state.problem(row.where, "строка не распознана: нет ни номера, ни наименования")
            return
        state.problem(row.where, "мероприятие без номера")
        _new_activity(state, row, "")
        return
    _continue_activity(state, row)


def _section(state: _State, text: str, where: str) -> None:
    match = _NUMBERED_TITLE_RE.match(text)
    state.open_track(match.group(2) if match else text, where)


def recognise(items: list[Item]) -> RoadmapPreview:
    """Turn the paragraphs and rows of a file into tracks, activities and problems."""
    state = _State()
    for item in items:
        if isinstance(item, Paragraph):
            if clean(item.text):
                state.heading.append(item)
            continue
        new_table = item.table != state.table
        if new_table:
            if state.heading:
                state.block_heading = state.heading
                if state.track is not None and state.track.activities:
                    state.needs_track = True
            state.heading = []
            state.table = item.table
        _row(state, item, new_table)
    if not state.preview.activities:
        state.problem(
            "файл", "не найдено ни одной таблицы мероприятий с заголовком (№, Мероприятие, Сроки…)"
        )
    return state.preview
