"""Registry import pages (mounted under /registry/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
