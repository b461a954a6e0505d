from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "opora.programs"
    label = "programs"
    verbose_name = "Программы и дорожные карты"

    def ready(self) -> None:
        from opora.programs.scopes import register_program_scopes

        register_program_scopes()
