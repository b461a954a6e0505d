"""Pages of the support structure and events, mounted under /support/ (built from SECTIONS)."""

from django.urls import URLPattern, path

from opora.support import views, views_suggestions
from opora.support.sections import SECTIONS

app_name = "support"


def _section_urls() -> list[URLPattern]:
    patterns = []
    for slug, section in SECTIONS.items():
        kw = {"section": slug}
        patterns += [
            path(f"{slug}/", views.section_list, kw, name=slug),
            path(f"{slug}/new/", views.section_new, kw, name=f"{slug}-new"),
            path(f"{slug}/<int:{section.kwarg}>/", views.section_object, kw, name=f"{slug}-edit"),
            path(
                f"{slug}/<int:{section.kwarg}>/delete/",
                views.section_delete,
                kw,
                name=f"{slug}-delete",
            ),
        ]
    return patterns


urlpatterns = [
    path("", views.overview, name="overview"),
    path("pairs/suggestions/", views_suggestions.pair_suggestions, name="pairs-suggestions"),
    *_section_urls(),
    path(
        "pairs/<int:partnerpair_id>/agreement/",
        views.agreement_download,
        name="pairs-agreement",
    ),
]
