from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "opora.demo"
    label = "demo"
    verbose_name = "Демо-данные"
