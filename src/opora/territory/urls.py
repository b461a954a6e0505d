"""Pages of the territory, the school registry and the change history."""

from django.urls import path

from opora.territory import views

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<int:region_id>/", views.region_detail, name="region-detail"),
    path(
        "municipalities/<int:municipality_id>/",
        views.municipality_detail,
        name="municipality-detail",
    ),
    path("schools/", views.school_list, name="school-list"),
    path("schools/<int:school_id>/", views.school_card, name="school-card"),
    path("schools/<int:school_id>/edit/", views.school_edit, name="school-edit"),
    path(
        "schools/<int:school_id>/snapshots/<int:year>/edit/",
        views.snapshot_edit,
        name="snapshot-edit",
    ),
    path("history/", views.history, name="history"),
]
