"""Registry import pages (mounted under /registry/)."""

from django.urls import path

from opora.territory import views_import

urlpatterns = [
    path("import/", views_import.registry_import, name="registry-import"),
    path("template/", views_import.registry_template, name="registry-template"),
]
