"""Routes of API version 1."""

urlpatterns: list = []
