"""Pages of the analysis, mounted under /analysis/."""

from django.urls import path

from opora.analysis import views, views_methodology, views_school

app_name = "analysis"

urlpatterns = [
    path("", views.registry, name="registry"),
    path("objectivity/", views.objectivity_list, name="objectivity"),
    path("runs/<int:analysisrun_id>/", views.run_registry, name="run"),
    path(
        "runs/<int:analysisrun_id>/registry.xlsx",
        views.run_export,
        {"fmt": "xlsx"},
        name="run-xlsx",
    ),
    path(
        "runs/<int:analysisrun_id>/registry.csv",
        views.run_export,
        {"fmt": "csv"},
        name="run-csv",
    ),
    path("schools/<int:school_id>/risks/", views_school.school_risks, name="school-risks"),
    path(
        "schools/<int:school_id>/objectivity/",
        views_school.school_objectivity,
        name="school-objectivity",
    ),
    path("schools/<int:school_id>/context/", views_school.school_context, name="school-context"),
    path("schools/<int:school_id>/partners/", views_school.school_partners, name="school-partners"),
    path("methodologies/", views_methodology.methodology_list, name="methodologies"),
    path("methodologies/compare/", views_methodology.methodology_compare, name="compare"),
    path(
        "methodologies/<int:methodology_id>/",
        views_methodology.methodology_detail,
        name="methodology",
    ),
    path(
        "methodologies/<int:methodology_id>/copy/",
        views_methodology.methodology_copy_view,
        name="methodology-copy",
    ),
    path(
        "methodologies/<int:methodology_id>/edit/",
        views_methodology.methodology_edit,
        name="methodology-edit",
    ),
    path(
        "methodologies/<int:methodology_id>/run/",
        views_methodology.methodology_run,
        name="methodology-run",
    ),
    path(
        "methodologies/<int:methodology_id>/approve/",
        views_methodology.methodology_approve_view,
        name="methodology-approve",
    ),
]
