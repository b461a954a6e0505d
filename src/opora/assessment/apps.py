from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "opora.assessment"
    label = "assessment"
    verbose_name = "Результаты оценочных процедур"

    def ready(self) -> None:
        from opora.accounts.policy import register_scope
        from opora.assessment.models import SchoolResultAggregate, StudentResult

        for model in (StudentResult, SchoolResultAggregate):
            register_scope(
                model,
                region="school__municipality__region",
                municipality="school__municipality",
                school="school",
            )
