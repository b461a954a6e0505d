"""Links of the analysis for the navigation and the school card, shown to those who may open
them: `{% load analysis_nav %}{% analysis_nav_links %}` and `{% analysis_school_tabs school %}`."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from opora.accounts.policy import user_can
from opora.accounts.roles import Capability

register = template.Library()


@register.simple_tag(takes_context=True)
def analysis_nav_links(context: Any) -> str:
    """`<li>` links to the registry and the methodologies for the signed-in user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user_can(user, Capability.ANALYSIS_VIEW):
        return ""
    links = [(reverse("analysis:registry"), "Реестр")]
    if user_can(user, Capability.METHODOLOGY_EDIT):
        links.append((reverse("analysis:methodologies"), "Методики"))
    return format_html_join("", '<li><a href="{}">{}</a></li>', links)


@register.simple_tag(takes_context=True)
def analysis_school_tabs(context: Any, school: Any) -> str:
    """`<li>` tab links «Риски», «Объективность», «Контекст» of a school card."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user_can(user, Capability.ANALYSIS_VIEW, school):
        return ""
    tabs = [
        ("analysis:school-risks", "Риски"),
        ("analysis:school-objectivity", "Объективность"),
        ("analysis:school-context", "Контекст"),
        ("analysis:school-partners", "Партнёры"),
    ]
    return format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((reverse(name, kwargs={"school_id": school.pk}), label) for name, label in tabs),
    ) or format_html("")
