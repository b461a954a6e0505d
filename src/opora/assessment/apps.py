from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "opora.assessment"
    label = "assessment"
    verbose_name = "Результаты оценочных процедур"
