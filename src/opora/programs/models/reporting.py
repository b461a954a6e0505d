"""Reporting periods (этапы отчётности) and the reports programs send for them.

The region opens a period for the programs of one level (school or municipal programs) with an
opening and a due date; each program of that level reports once per period. Who has not
reported, and how late, is read by `programs.reporting.period_status`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from opora.core.models import TimeStampedModel
from opora.programs.choices import ProgramLevel
from opora.programs.models.managers import LiveManager
from opora.programs.models.roadmap import Program


class ReportingPeriod(TimeStampedModel):
    """A period the programs of `level` in `region` report on, open from `opens_on` to `due_on`."""

    region = models.ForeignKey(
        "territory.Region",
        verbose_name="регион",
        on_delete=models.PROTECT,
        related_name="reporting_periods",
    )
    name = models.CharField("наименование", max_length=300)
    level = models.CharField(
        "программы какого уровня отчитываются", max_length=12, choices=ProgramLevel.choices
    )
    opens_on = models.DateField("приём отчётов открывается")
    due_on = models.DateField("срок сдачи отчёта")

    class Meta:
        verbose_name = "отчётный период"
        verbose_name_plural = "отчётные периоды"
        ordering = ["-due_on", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")),
                name="reporting_period_dates",
                violation_error_message="Срок сдачи не может быть раньше открытия приёма отчётов.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramReport(TimeStampedModel):
    """The report of one program for one period: when it was sent, by whom, the figures then.

    `summary` keeps the execution figures at the moment of sending (activities total, done,
    overdue), so a later change of the roadmap does not rewrite what was reported.
    """

    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="отчётный период",
        on_delete=models.PROTECT,
        related_name="reports",
    )
    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="reports"
    )
    submitted_on = models.DateField("дата отчёта")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто отчитался",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField("комментарий", blank=True)
    summary = models.JSONField("показатели выполнения на дату отчёта", default=dict)

    LIVE_PATHS = ("program__deleted_at",)
    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "отчёт программы"
        verbose_name_plural = "отчёты программ"
        ordering = ["period", "program", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "program"],
                name="program_report_once_per_period",
                violation_error_message="Программа уже отчиталась за этот период.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.period}"
