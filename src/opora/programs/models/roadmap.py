"""Programs (региональная, муниципальная, школьная), their tracks and activities.

A program is the document a region, a municipality or a school writes to improve results; its
roadmap (дорожная карта, план мероприятий) is a list of activities grouped by track (направление,
раздел). A school program is the антирисковая программа or the программа перехода в
эффективный режим функционирования of a school with low results.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from opora.core.models import TimeStampedModel
from opora.programs.choices import (
    CLOSED_STATUSES,
    ActivityStatus,
    DeadlineKind,
    ProgramKind,
    ProgramLevel,
    ProgramStatus,
)
from opora.programs.models.managers import LiveManager


class Program(TimeStampedModel):
    """A program with its passport (паспорт программы) at one territorial level.

    `region` is always set; `municipality` is set for municipal and school programs and `school`
    for school programs, so that scopes and roll-ups need no joins through the territory.
    """

    level = models.CharField("уровень", max_length=12, choices=ProgramLevel.choices)
    kind = models.CharField("вид программы", max_length=12, choices=ProgramKind.choices)
    name = models.CharField("наименование", max_length=500)
    period_start_year = models.PositiveSmallIntegerField("год начала реализации")
    period_end_year = models.PositiveSmallIntegerField("год окончания реализации")
    developer = models.TextField("разработчик", blank=True)
    executors = models.TextField("исполнители", blank=True)
    normative_basis = models.TextField("нормативные основания", blank=True)
    goal = models.TextField("цель", blank=True)
    tasks = models.TextField("задачи", blank=True)
    expected_results = models.TextField("ожидаемые результаты", blank=True)
    funding = models.TextField("объём и источники финансирования", blank=True)
    region = models.ForeignKey(
        "territory.Region", verbose_name="регион", on_delete=models.PROTECT, related_name="programs"
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name="муниципалитет",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs",
    )
    school = models.ForeignKey(
        "territory.School",
        verbose_name="школа",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs",
    )
    status = models.CharField(
        "статус", max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    review_comment = models.TextField("замечания при рассмотрении", blank=True)
    deleted_at = models.DateTimeField("удалена", null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто удалил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    LIVE_PATHS = ("deleted_at",)
    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "программа"
        base_manager_name = "all_objects"
        verbose_name_plural = "программы"
        ordering = ["-period_start_year", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end_year__gte=F("period_start_year"))
                & Q(period_start_year__gte=2000)
                & Q(period_end_year__lte=2100),
                name="program_period_valid",
                violation_error_message="Год окончания не может быть раньше года начала.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(level=ProgramLevel.REGION, municipality__isnull=True, school__isnull=True)
                    | Q(
                        level=ProgramLevel.MUNICIPALITY,
                        municipality__isnull=False,
                        school__isnull=True,
                    )
                    | Q(level=ProgramLevel.SCHOOL, municipality__isnull=False, school__isnull=False)
                ),
                name="program_level_territory",
                violation_error_message="Территория программы не соответствует её уровню.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(level=ProgramLevel.REGION, kind=ProgramKind.REGIONAL)
                    | Q(level=ProgramLevel.MUNICIPALITY, kind=ProgramKind.MUNICIPAL)
                    | Q(
                        level=ProgramLevel.SCHOOL,
                        kind__in=[ProgramKind.ANTI_RISK, ProgramKind.TRANSITION],
                    )
                ),
                name="program_kind_level",
                violation_error_message="Вид программы не соответствует её уровню.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period_label})"

    @property
    def period_label(self) -> str:
        """The period as people write it: «2023–2024» or «2021»."""
        if self.period_start_year == self.period_end_year:
            return str(self.period_start_year)
        return f"{self.period_start_year}–{self.period_end_year}"

    @property
    def owner_name(self) -> str:
        """The territory the program belongs to, for headings."""
        owner = self.school or self.municipality or self.region
        return str(owner)


class Track(TimeStampedModel):
    """A section of a roadmap (направление, трек, раздел): activities are grouped under it."""

    program = models.ForeignKey(
        Program, verbose_name="программа", on_delete=models.CASCADE, related_name="tracks"
    )
    position = models.PositiveIntegerField("порядковый номер", default=1)
    name = models.CharField("наименование", max_length=1000)
    deleted_at = models.DateTimeField("удалено", null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто удалил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    LIVE_PATHS = ("deleted_at", "program__deleted_at")
    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "направление"
        base_manager_name = "all_objects"
        verbose_name_plural = "направления"
        ordering = ["program", "position", "id"]

    def __str__(self) -> str:
        return self.name[:200]


class Activity(TimeStampedModel):
    """An activity (мероприятие) of a roadmap with its deadline as written and as an interval.

    `version` grows by one on every change; an edit carries the version it started from, and a
    stale version is refused so that a concurrent update is never lost (optimistic locking).
    """

    track = models.ForeignKey(
        Track, verbose_name="направление", on_delete=models.CASCADE, related_name="activities"
    )
    position = models.PositiveIntegerField("порядок", default=1)
    number = models.CharField("номер", max_length=20, blank=True)
    name = models.TextField("наименование мероприятия")
    form = models.CharField("форма проведения", max_length=500, blank=True)
    deadline_text = models.CharField("срок (как в документе)", max_length=500, blank=True)
    deadline_kind = models.CharField(
        "вид срока", max_length=12, choices=DeadlineKind.choices, default=DeadlineKind.UNPARSED
    )
    deadline_start = models.DateField("начало срока", null=True, blank=True)
    deadline_end = models.DateField("окончание срока", null=True, blank=True)
    responsible_org = models.CharField("ответственная организация", max_length=500, blank=True)
    responsible_person = models.CharField("ответственное лицо", max_length=300, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ответственный пользователь",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="program_activities",
    )
    participants = models.TextField("участники", blank=True)
    expected_result = models.TextField("ожидаемый результат", blank=True)
    expected_value = models.DecimalField(
        "ожидаемое значение", max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "статус", max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    done_on = models.DateField("дата выполнения", null=True, blank=True)
    completion_comment = models.TextField("отметка о выполнении", blank=True)
    needs_rework = models.BooleanField("возвращено на доработку", default=False)
    rework_comment = models.TextField("замечание проверяющего", blank=True)
    version = models.PositiveIntegerField("версия", default=1)

    LIVE_PATHS = ("track__deleted_at", "track__program__deleted_at")
    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "мероприятие"
        base_manager_name = "all_objects"
        verbose_name_plural = "мероприятия"
        ordering = ["track__program", "track__position", "track", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_start__isnull=True)
                | Q(deadline_end__isnull=True)
                | Q(deadline_start__lte=F("deadline_end")),
                name="activity_deadline_order",
                violation_error_message="Начало срока не может быть позже окончания.",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActivityStatus.DONE) | Q(done_on__isnull=False),
                name="activity_done_has_date",
                violation_error_message="У выполненного мероприятия должна быть дата выполнения.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="activity_version_positive",
                violation_error_message="Версия должна быть положительной.",
            ),
        ]

    def __str__(self) -> str:
        prefix = f"{self.number} " if self.number else ""
        return f"{prefix}{self.name}"[:200]

    def is_overdue(self, today: dt.date) -> bool:
        """Whether the deadline interval has passed and the activity is neither done nor cancelled."""
        return (
            self.deadline_end is not None
            and self.deadline_end < today
            and self.status not in CLOSED_STATUSES
        )

    def days_overdue(self, today: dt.date) -> int:
        """Days since the deadline interval ended (0 when not overdue)."""
        if not self.is_overdue(today) or self.deadline_end is None:
            return 0
        return (today - self.deadline_end).days


def evidence_path(instance: "ActivityEvidence", filename: str) -> str:
    return f"programs/evidence/{instance.activity_id}/{filename}"


class ActivityEvidence(TimeStampedModel):
    """A file proving an activity was carried out (приказ, протокол, фотоотчёт...)."""

    activity = models.ForeignKey(
        Activity, verbose_name="мероприятие", on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField("файл", upload_to=evidence_path, max_length=300)
    title = models.CharField("описание", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="загрузил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    LIVE_PATHS = ("activity__track__deleted_at", "activity__track__program__deleted_at")
    objects = LiveManager()
    all_objects = models.Manager()

    class Meta:
        verbose_name = "подтверждающий документ"
        base_manager_name = "all_objects"
        verbose_name_plural = "подтверждающие документы"
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.title or self.file.name or ""
