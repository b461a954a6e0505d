"""Pages of programs and roadmaps, mounted under /programs/."""

from django.urls import path

from opora.programs import (
    views,
    views_activity,
    views_budget,
    views_import,
    views_manage,
    views_review,
    views_targets,
)

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views_manage.program_new, name="new"),
    path("my-tasks/", views.my_tasks, name="my-tasks"),
    path("rollup/", views.program_rollup, name="rollup"),
    path("reporting/", views_review.reporting, name="reporting"),
    path(
        "reporting/<int:reportingperiod_id>/",
        views_review.reporting_period,
        name="reporting-period",
    ),
    path("<int:program_id>/", views.program_detail, name="detail"),
    path("<int:program_id>/edit/", views_manage.program_edit, name="edit"),
    path("<int:program_id>/delete/", views_manage.program_remove, name="delete"),
    path("<int:program_id>/review/", views_review.program_review, name="review"),
    path("<int:program_id>/reports/", views_review.program_reports, name="reports"),
    path("<int:program_id>/targets/", views_targets.program_targets, name="targets"),
    path("<int:program_id>/budget/", views_budget.program_budget, name="budget"),
    path("<int:program_id>/tracks/new/", views_manage.track_new, name="track-new"),
    path(
        "<int:program_id>/roadmap.xlsx",
        views.program_export,
        {"exporter": "roadmap-xlsx"},
        name="roadmap-xlsx",
    ),
    path(
        "<int:program_id>/roadmap.docx",
        views.program_export,
        {"exporter": "roadmap-docx"},
        name="roadmap-docx",
    ),
    path(
        "<int:program_id>/passport.docx",
        views.program_export,
        {"exporter": "passport-docx"},
        name="passport-docx",
    ),
    path("<int:program_id>/import/", views_import.roadmap_import, name="import"),
    path("tracks/<int:track_id>/delete/", views_manage.track_remove, name="track-delete"),
    path("tracks/<int:track_id>/activities/new/", views_manage.activity_new, name="activity-new"),
    path("targets/<int:programtarget_id>/", views_targets.target_edit, name="target-edit"),
    path("activities/<int:activity_id>/", views_activity.activity_page, name="activity"),
    path(
        "activities/<int:activity_id>/edit/",
        views_activity.activity_page,
        {"action": "edit"},
        name="activity-edit",
    ),
    path(
        "activities/<int:activity_id>/return/",
        views_activity.activity_page,
        {"action": "return"},
        name="activity-return",
    ),
    path(
        "activities/<int:activity_id>/evidence/",
        views_activity.activity_page,
        {"action": "evidence"},
        name="activity-evidence",
    ),
    path(
        "evidence/<int:activityevidence_id>/",
        views_activity.evidence_download,
        name="evidence-download",
    ),
]
