from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "opora.support"
    label = "support"
    verbose_name = "Структура поддержки и мероприятия"

    def ready(self) -> None:
        from opora.support.scopes import register_support_scopes

        register_support_scopes()
