"""The budget (смета) of a program: lines by group of activities (a track) and year, planned
versus spent."""

from django.db import models
from django.db.models import Q

from opora.core.models import TimeStampedModel
from opora.programs.models.managers import LiveManager
from opora.programs.models.roadmap import Program, Track


class BudgetLine(TimeStampedModel):
    """One line of a program's budget: an item of a group of activities (a track, or the whole
    program) in a year, the amount planned and the amount spent (roubles)."""

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="budget"
    )
    track = models.ForeignKey(
        Track,
        verbose_name="группа мероприятий (направление)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="budget",
    )
    item = models.CharField("статья расходов", max_length=500)
    year = models.PositiveSmallIntegerField("год")
    funding_source = models.CharField("источник финансирования", max_length=300, blank=True)
    planned = models.DecimalField("запланировано, руб.", max_digits=14, decimal_places=2)
    spent = models.DecimalField(
        "израсходовано, руб.", max_digits=14, decimal_places=2, null=True, blank=True
    )

    LIVE_PATHS = ("program__deleted_at",)
    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "строка сметы"
        verbose_name_plural = "смета программ"
        ordering = ["program", "year", "track", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(planned__gte=0) & (Q(spent__isnull=True) | Q(spent__gte=0)),
                name="budget_amounts_not_negative",
                violation_error_message="Суммы не могут быть отрицательными.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="budget_year_range",
                violation_error_message="Год должен быть в пределах 2000–2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.item}"[:200]
