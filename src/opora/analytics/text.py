"""Russian text of reasons: number formatting with a decimal comma and labels of codes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"

DEFAULT_PROCEDURES: dict[str, str] = {
    "vpr": "ВПР",
    "oge": "ОГЭ",
    "gve9": "ГВЭ-9",
    "ege": "ЕГЭ",
    "ege_base": "ЕГЭ (база)",
    "gve11": "ГВЭ-11",
    "regional_diag": "РДР",
}
DEFAULT_SUBJECTS: dict[str, str] = {
    "rus": "русский язык",
    "math": "математика",
    "math_base": "математика (базовый уровень)",
    "math_profile": "математика (профильный уровень)",
    "phys": "физика",
    "chem": "химия",
    "inf": "информатика",
    "bio": "биология",
    "hist": "история",
    "soc": "обществознание",
    "geo": "география",
    "lit": "литература",
    "env": "окружающий мир",
    "eng": "английский язык",
    "foreign": "иностранный язык",
}


@dataclass(frozen=True)
class Labels:
    """Russian names of procedure and subject codes; unknown codes print as themselves."""

    procedures: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PROCEDURES))
    subjects: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SUBJECTS))

    def procedure(self, code: str) -> str:
        return self.procedures.get(code, code)

    def subject(self, code: str) -> str:
        return self.subjects.get(code, code)

    def group(self, procedure: str, subject: str, grade: int | None, year: int) -> str:
        """«ВПР, математика, 6 класс, 2023» (the grade is omitted for ОГЭ/ЕГЭ)."""
        parts = [self.procedure(procedure), self.subject(subject)]
        if grade is not None and procedure not in {"oge", "gve9", "ege", "ege_base", "gve11"}:
            parts.append(f"{grade} класс")
        parts.append(str(year))
        return ", ".join(parts)


DEFAULT_LABELS = Labels()


def fmt_num(value: float | int | None, digits: int = 1) -> str:
    """A number with a decimal comma, rounded half up: 0.345 → «0,3» (digits=1); None, ±inf and
    NaN → «—»."""
    if value is None or not math.isfinite(value):
        return "—"
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return str(rounded).replace(".", ",").replace("-", "−")


def fmt_pct(share: float | None, digits: int = 1) -> str:
    """A share 0–1 as a percentage: 0.34 → «34,0 %» (digits=1), 15/16 → «94 %» (digits=0)."""
    if share is None:
        return "—"
    return f"{fmt_num(share * 100, digits)}{NBSP}%"


def fmt_pp(delta: float, digits: int = 1) -> str:
    """A difference of shares in percentage points with its sign: «+12,0 п.п.»."""
    sign = "+" if delta > 0 else ""
    return f"{sign}{fmt_num(delta * 100, digits)}{NBSP}п.п."


def fmt_p(p_value: float) -> str:
    """A p-value: «p = 0,020»; below 0,001 «p < 0,001»."""
    return "p < 0,001" if p_value < 0.001 else f"p = {fmt_num(p_value, 3)}"
