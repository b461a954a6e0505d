"""Template tags of the results pages: a figure's value, or why it is not shown."""

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from opora.assessment.disclosure import COMPLEMENTARY, Figure

register = template.Library()


def _number(value: Any) -> str:
    return number_format(value, force_grouping=True)


@register.simple_tag
def figure_value(value: Any, figure: Figure, participants: bool = False) -> SafeString:
    """`value` of `figure` in Russian format; «менее N» for a suppressed group; «—» when unknown."""
    if figure.hidden:
        if figure.reason == COMPLEMENTARY:
            title = f"скрыто: иначе можно вычислить группу менее {figure.n_min} участников"
            text = "скрыто" if participants else "—"
        else:
            title = f"менее {figure.n_min} участников: не показывается"
            text = f"менее {figure.n_min}" if participants else "—"
        return format_html('<span class="suppressed" title="{}">{}</span>', title, text)
    if value is None:
        return format_html('<span class="muted">{}</span>', "—")
    if participants and figure.small:
        return format_html(
            '{} <small class="muted" title="{}">(мало)</small>',
            _number(value),
            f"менее {figure.n_min} участников: показатели неустойчивы",
        )
    return format_html("{}", _number(value))


@register.simple_tag
def signed(value: Decimal | None) -> SafeString:
    """A change with its sign and arrow: ▲ +0,12 or ▼ −0,3; «—» when unknown."""
    if value is None:
        return format_html('<span class="muted">{}</span>', "—")
    if value == 0:
        return format_html("{}", "0")
    up = value > 0
    return format_html(
        '<span class="change change-{}">{}\xa0{}{}</span>',
        "up" if up else "down",
        "▲" if up else "▼",
        "+" if up else "−",
        _number(abs(value)),
    )
