"""Pages of programs and roadmaps, mounted under /programs/."""

from django.urls import path

from opora.programs import views, views_import

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("my-tasks/", views.my_tasks, name="my-tasks"),
    path("<int:program_id>/", views.program_detail, name="detail"),
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
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity-edit"),
]
