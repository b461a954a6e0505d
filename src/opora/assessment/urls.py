"""Results pages (mounted under /results/)."""

from django.urls import path

from opora.assessment import views

urlpatterns = [
    path("", views.results_home, name="results-home"),
    path("schools/<int:school_id>/", views.school_results, name="school-results"),
    path(
        "municipalities/<int:municipality_id>/",
        views.municipality_results,
        name="municipality-results",
    ),
    path("regions/<int:region_id>/", views.region_results, name="region-results"),
    path("import/", views.results_import, name="results-import"),
    path("import/progress/", views.results_import_progress, name="results-import-progress"),
    path("import/history/", views.results_import_history, name="results-import-history"),
]
