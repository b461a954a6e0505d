"""Number filters of the analysis pages: decimal comma, «—» for missing or suppressed values."""

import math
from typing import Any

from django import template

from opora.analysis.choices import Cluster
from opora.analytics.text import fmt_num, fmt_pct

register = template.Library()


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


@register.filter
def num(value: Any, digits: int = 1) -> str:
    """`1.234|num:2` → «1,23»; None → «—»."""
    if _missing(value):
        return "—"
    return fmt_num(float(value), int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    """A share 0–1 as a percentage: `0.345|pct` → «34,5 %»; None → «—»."""
    if _missing(value):
        return "—"
    return fmt_pct(float(value), int(digits))


@register.filter
def yesno_ru(value: Any) -> str:
    return "да" if value else "нет"


_CLUSTERS = dict(Cluster.choices)


@register.filter
def cluster_label(code: str) -> str:
    """`nor` → «НОР»."""
    return str(_CLUSTERS.get(code, code))
