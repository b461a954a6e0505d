"""Target indicators of programs (целевые показатели), their values per year and the status rule.

A target points at the indicator library (`opora.analytics.indicators.REGISTRY`) when the
indicator is computable — its baseline and actual values then come from the data — and is
entered by hand otherwise. The status of a target (достигнут / в графике / отстаёт) follows a
`TargetStatusRule` whose parameters are data an administrator may change.
"""

from django.db import models
from django.db.models import Q

from opora.core.models import TimeStampedModel
from opora.programs.choices import ActualSource, TargetDirection
from opora.programs.models.managers import LiveManager
from opora.programs.models.roadmap import Program


class TargetStatusRule(TimeStampedModel):
    """The parameters of the rule that gives a target its status (see `programs/targets.py`).

    A year's actual value *achieves* the target when it is at least as good as the target
    value. Otherwise it is *on track* when it has covered at least `on_track_share` of the way
    from the baseline to the target, or — without a baseline — when it falls short of the target
    by at most `no_baseline_tolerance` of the target value; else it is *behind*.
    """

    code = models.SlugField("код", max_length=50, unique=True)
    name = models.CharField("наименование", max_length=200)
    on_track_share = models.DecimalField(
        "доля пути от базового значения к целевому для статуса «в графике»",
        max_digits=4,
        decimal_places=3,
    )
    no_baseline_tolerance = models.DecimalField(
        "допустимое отставание от цели без базового значения (доля цели)",
        max_digits=4,
        decimal_places=3,
    )
    is_default = models.BooleanField("действует по умолчанию", default=False)
    source = models.TextField("основание", blank=True)

    class Meta:
        verbose_name = "правило статуса целевого показателя"
        verbose_name_plural = "правила статуса целевых показателей"
        ordering = ["-is_default", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(on_track_share__gte=0) & Q(on_track_share__lte=1),
                name="target_rule_share_range",
                violation_error_message="Доля пути должна быть от 0 до 1.",
            ),
            models.CheckConstraint(
                condition=Q(no_baseline_tolerance__gte=0) & Q(no_baseline_tolerance__lte=1),
                name="target_rule_tolerance_range",
                violation_error_message="Допустимое отставание должно быть от 0 до 1.",
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="target_rule_one_default",
                violation_error_message="Правило по умолчанию может быть только одно.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgramTarget(TimeStampedModel):
    """A target indicator (целевой показатель) of a program with its baseline.

    `indicator_code` points at the indicator library when the indicator is computable; otherwise
    the indicator is entered by hand by its `name`. Values per year are `TargetValue` rows.
    `direction` says whether more is better (for library indicators it follows the library).
    """

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="targets"
    )
    position = models.PositiveIntegerField("порядок", default=1)
    indicator_code = models.CharField("код показателя из библиотеки", max_length=100, blank=True)
    name = models.CharField("наименование показателя", max_length=1000, blank=True)
    subject = models.CharField(
        "предмет (код; пусто — все предметы)", max_length=30, blank=True, default=""
    )
    unit = models.CharField("единица измерения", max_length=50, blank=True)
    direction = models.CharField(
        "направление",
        max_length=14,
        choices=TargetDirection.choices,
        default=TargetDirection.HIGHER_BETTER,
    )
    baseline_year = models.PositiveSmallIntegerField("год базового значения", null=True, blank=True)
    baseline_value = models.DecimalField(
        "базовое значение", max_digits=14, decimal_places=3, null=True, blank=True
    )

    LIVE_PATHS = ("program__deleted_at",)
    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "целевой показатель"
        verbose_name_plural = "целевые показатели"
        ordering = ["program", "position", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=~Q(indicator_code="") | ~Q(name=""),
                name="target_code_or_name",
                violation_error_message="Укажите показатель из библиотеки или его наименование.",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.indicator_code


class TargetValue(models.Model):
    """The target value of a program indicator for one year and the actual value reached.

    `actual_source` says where the actual value came from: computed from the data (for library
    indicators) or entered by hand.
    """

    target = models.ForeignKey(
        ProgramTarget, verbose_name="показатель", on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField("год")
    value = models.DecimalField(
        "целевое значение", max_digits=14, decimal_places=3, null=True, blank=True
    )
    actual_value = models.DecimalField(
        "фактическое значение", max_digits=14, decimal_places=3, null=True, blank=True
    )
    actual_source = models.CharField(
        "источник факта", max_length=8, choices=ActualSource.choices, blank=True
    )

    LIVE_PATHS = ("target__program__deleted_at",)
    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        verbose_name = "значение показателя за год"
        verbose_name_plural = "значения показателей по годам"
        ordering = ["target", "year"]
        base_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(fields=["target", "year"], name="target_value_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="target_value_year_range",
                violation_error_message="Год должен быть в пределах 2000–2100.",
            ),
            models.CheckConstraint(
                condition=Q(actual_value__isnull=True) | ~Q(actual_source=""),
                name="target_value_actual_has_source",
                violation_error_message="У фактического значения должен быть указан источник.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"
