from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "opora.analysis"
    label = "analysis"
    verbose_name = "Анализ и методики"

    def ready(self) -> None:
        from opora.analysis.scopes import register_analysis_scopes

        register_analysis_scopes()
