"""Pages of programs and roadmaps, mounted under /programs/."""

from django.urls import URLPattern

app_name = "programs"

urlpatterns: list[URLPattern] = []
