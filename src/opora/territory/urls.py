from django.urls import path

from opora.territory import views

urlpatterns = [
    path("", views.home, name="home"),
]
