"""Typed columns of an import format and the parsing of their cells.

A `Column` knows its Russian header, its aliases, its type and how to document itself in a
template. `Column.parse` turns a raw cell into a Python value or raises `CellError` with what
was expected, in Russian.
"""

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from opora.core.importing.headers import normalize_text


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message says what was expected."""


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    YEAR = "year"


KIND_NAMES = {
    Kind.TEXT: "текст",
    Kind.INTEGER: "целое число",
    Kind.DECIMAL: "число (дробная часть через запятую)",
    Kind.BOOLEAN: "да / нет",
    Kind.CHOICE: "значение из списка",
    Kind.YEAR: "год (четыре цифры) или учебный год вида 2023/24",
}

TRUE_WORDS = {"да", "д", "yes", "y", "true", "истина", "1", "+", "есть", "x", "х", "v"}
FALSE_WORDS = {"нет", "н", "no", "n", "false", "ложь", "0", "-", "—", "–"}
_SCHOOL_YEAR = re.compile(
    r"^\s*(\d{4})\s*[/\-–—]\s*(\d{2}|\d{4})\s*(?:г\.?|гг\.?|уч\.? ?г\.?)?\s*$"
)


@dataclass(frozen=True)
class Column:
    """One column of an import format.

    `choices` maps stored values to Russian labels (for CHOICE columns); `required` says whether
    the column must be present in the file; `note` says when a value is needed.
    """

    key: str
    header: str
    kind: Kind
    description: str
    example: str = ""
    required: bool = False
    note: str = ""
    aliases: Sequence[str] = ()
    choices: Sequence[tuple[str, str]] = ()
    decimal_places: int | None = None
    group: str = ""
    extra_words: dict[str, object] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return [self.header, *self.aliases]

    @property
    def type_name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def allowed(self) -> str:
        """Allowed values in Russian, for the instructions and messages."""
        if self.kind == Kind.CHOICE:
            return "; ".join(label for _, label in self.choices)
        if self.kind == Kind.BOOLEAN:
            return "да / нет (также 1 / 0)"
        return ""

    def parse(self, raw: object) -> object:
        """The value of a non-empty cell, or CellError."""
        if self.extra_words and isinstance(raw, str):
            word = normalize_text(raw)
            for extra, value in self.extra_words.items():
                if word == normalize_text(extra):
                    return value
        parser: Callable[[object], object] = {
            Kind.TEXT: _text,
            Kind.INTEGER: _integer,
            Kind.DECIMAL: self._decimal,
            Kind.BOOLEAN: _boolean,
            Kind.CHOICE: self._choice,
            Kind.YEAR: _year,
        }[self.kind]
        return parser(raw)

    def _decimal(self, raw: object) -> Decimal:
        value = _number(raw, "ожидалось число, например 12,5")
        if self.decimal_places is not None and abs(value) < Decimal(10) ** 12:
            value = value.quantize(Decimal(1).scaleb(-self.decimal_places), ROUND_HALF_UP)
        return value

    def _choice(self, raw: object) -> object:
        wanted = normalize_text(raw)
        for value, label in self.choices:
            first_word = normalize_text(label.split("(")[0])
            if wanted in {normalize_text(value), normalize_text(label), first_word}:
                return value
        raise CellError(f"ожидалось одно из значений: {self.allowed}")


def is_blank(raw: object) -> bool:
    """Whether a cell is empty (None or only spaces)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))  # codes typed as numbers in Excel
    if isinstance(raw, dt.datetime | dt.date | dt.time | dt.timedelta):
        raise CellError("ожидался текст, а в ячейке дата или время")
    return " ".join(str(raw).split())


def _number(raw: object, expected: str) -> Decimal:
    if isinstance(raw, (bool, dt.datetime | dt.date | dt.time | dt.timedelta)):
        raise CellError(expected)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(expected)
        return Decimal(repr(raw))
    if isinstance(raw, int):
        return Decimal(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    text = text.removesuffix("%")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?", text):
        raise CellError(expected)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(expected) from exc
    if not value.is_finite():
        raise CellError(expected)
    return value


def _integer(raw: object) -> int:
    value = _number(raw, "ожидалось целое число")
    if value != value.to_integral_value() or abs(value) > Decimal(10) ** 18:
        raise CellError("ожидалось целое число")
    return int(value)


def _boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = str(raw).strip().casefold().rstrip(".")
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("ожидалось «да» или «нет»")


def _year(raw: object) -> int:
    if isinstance(raw, str):
        match = _SCHOOL_YEAR.match(raw)
        if match:
            start, end = int(match.group(1)), match.group(2)
            end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
            if end_year != start + 1:
                raise CellError("ожидался учебный год вида 2023/24 (годы подряд)")
            return end_year
        raw = raw.strip().removesuffix("г.").removesuffix("г").strip()
    try:
        return _integer(raw)
    except CellError as exc:
        raise CellError(
            "ожидался год из четырёх цифр (например, 2024) или учебный год 2023/24"
        ) from exc
