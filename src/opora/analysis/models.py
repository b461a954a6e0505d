"""Methodologies, analysis runs and their stored per-school outputs.

Storage of a run (read by pages in one query each):

* `RunSchool` — one row per school of the run: the registry line. Flags the pages filter on are
  columns (`in_registry`, `is_shnor`, `has_signs`, ...); clusters and reasons are `|`-delimited
  code strings (`|nor|ssu|`) so that a filter is a plain `LIKE` on SQLite and PostgreSQL alike;
  key figures and the Russian reasons are JSON.
* `RunSchoolResult` — one row per school and kind of output (`ResultKind`): `data` holds that
  school's rows of the core's output frames as compact tables `{"columns": [...], "rows": [...]}`
  keyed by frame name, `reasons` the Russian reasons. A school card tab reads one row.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from opora.analysis.choices import MethodologyStatus, ResultKind, RunStatus
from opora.assessment.models import ImportBatch
from opora.core.models import TimeStampedModel
from opora.territory.models import Region, School


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """JSON with Cyrillic as is (not escaped): half the size of stored reasons on SQLite."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Methodology(TimeStampedModel):
    """A named, versioned methodology (METHODOLOGY.md §15) of one region.

    `document` is the JSON document validated by `opora.analytics.methodology`; its head
    (`methodology.name`, `methodology.version`) always equals `name` and `version`. Approved
    versions are frozen: a change is a copy (a new draft version with `parent` set).
    """

    region = models.ForeignKey(
        Region, verbose_name="регион", on_delete=models.PROTECT, related_name="methodologies"
    )
    name = models.CharField("название", max_length=100)
    version = models.CharField("версия", max_length=30)
    description = models.TextField("описание", blank=True)
    document = models.JSONField("параметры (документ методики)")
    status = models.CharField(
        "состояние",
        max_length=12,
        choices=MethodologyStatus.choices,
        default=MethodologyStatus.DRAFT,
    )
    preset = models.CharField("поставляемая методика", max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="скопирована из",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто создал",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто утвердил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("когда утверждена", null=True, blank=True)
    approved_year = models.PositiveSmallIntegerField("утверждена на год", null=True, blank=True)

    class Meta:
        verbose_name = "методика"
        verbose_name_plural = "методики"
        ordering = ["name", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name", "version"], name="methodology_version_unique"
            ),
            models.UniqueConstraint(
                fields=["region", "approved_year"],
                condition=Q(status=MethodologyStatus.APPROVED),
                name="methodology_one_approved_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def is_editable(self) -> bool:
        """Only drafts change; an approved or superseded version is frozen."""
        return self.status == MethodologyStatus.DRAFT


class AnalysisRun(models.Model):
    """One run of the analytics core over a region's data with an exact methodology version.

    `parameters` is the whole methodology document as it was run, so any list can be
    reproduced; `batches` are the committed import batches whose rows were read. The official
    run of a year (`is_official`) is the registry a region administrator approved.
    """

    region = models.ForeignKey(
        Region, verbose_name="регион", on_delete=models.PROTECT, related_name="analysis_runs"
    )
    methodology = models.ForeignKey(
        Methodology, verbose_name="методика", on_delete=models.PROTECT, related_name="runs"
    )
    methodology_name = models.CharField("методика (название)", max_length=100)
    methodology_version = models.CharField("методика (версия)", max_length=30)
    parameters = models.JSONField("параметры методики на момент запуска")
    year = models.PositiveSmallIntegerField("год анализа")
    batches = models.ManyToManyField(
        ImportBatch, verbose_name="прочитанные пакеты загрузки", related_name="+", blank=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто запустил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_by_name = models.CharField("кто запустил (имя)", max_length=150, blank=True)
    started_at = models.DateTimeField("начат")
    finished_at = models.DateTimeField("завершён", null=True, blank=True)
    duration_s = models.FloatField("длительность, с", null=True, blank=True)
    status = models.CharField("состояние", max_length=10, choices=RunStatus.choices)
    warnings = models.JSONField("предупреждения", default=list, blank=True)
    summary = models.JSONField("итоги (число школ по спискам)", default=dict, blank=True)
    fits = models.JSONField("контекстная модель: качество подгонки", default=list, blank=True)
    is_official = models.BooleanField("официальный реестр года", default=False)

    class Meta:
        verbose_name = "запуск анализа"
        verbose_name_plural = "запуски анализа"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(is_official=True),
                name="analysis_run_one_official_per_year",
            ),
        ]
        indexes = [models.Index(fields=["region", "year"], name="analysis_run_region_year")]

    def __str__(self) -> str:
        return f"Анализ №{self.pk}: {self.methodology_name} {self.methodology_version}, {self.year}"


class RunSchool(models.Model):
    """A school's line in a run: the registry row with flags, clusters, key figures, reasons."""

    run = models.ForeignKey(
        AnalysisRun, verbose_name="запуск", on_delete=models.CASCADE, related_name="schools"
    )
    school = models.ForeignKey(
        School, verbose_name="школа", on_delete=models.CASCADE, related_name="+"
    )
    in_registry = models.BooleanField("в реестре", default=False)
    is_shnor = models.BooleanField("ШНОР", default=False)
    is_ssu = models.BooleanField("ССУ", default=False)
    has_signs = models.BooleanField("признаки необъективности", default=False)
    persistent_signs = models.BooleanField("устойчивые признаки", default=False)
    resilient = models.BooleanField("резильентная", default=False)
    decline = models.BooleanField("риск снижения", default=False)
    watch = models.BooleanField("прогноз попадания в ШНОР", default=False)
    clusters = models.CharField("кластеры (коды)", max_length=100, blank=True)
    reason_codes = models.CharField("основания (коды)", max_length=100, blank=True)
    figures = models.JSONField("ключевые показатели", default=dict, encoder=UnicodeJSONEncoder)
    reasons = models.JSONField("основания", default=list, encoder=UnicodeJSONEncoder)

    class Meta:
        verbose_name = "школа в запуске анализа"
        verbose_name_plural = "школы в запусках анализа"
        ordering = ["run_id", "school_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "school"], name="run_school_unique"),
        ]
        indexes = [
            models.Index(fields=["run", "in_registry"], name="run_school_registry"),
            models.Index(fields=["run", "has_signs"], name="run_school_signs"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.school_id}"

    @property
    def cluster_codes(self) -> list[str]:
        return [code for code in self.clusters.split("|") if code]


class RunSchoolResult(models.Model):
    """One kind of output of a run for one school: compact tables and Russian reasons."""

    run = models.ForeignKey(
        AnalysisRun, verbose_name="запуск", on_delete=models.CASCADE, related_name="results"
    )
    school = models.ForeignKey(
        School, verbose_name="школа", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("вид", max_length=12, choices=ResultKind.choices)
    data = models.JSONField("данные", default=dict, encoder=UnicodeJSONEncoder)
    reasons = models.JSONField("основания", default=list, encoder=UnicodeJSONEncoder)

    class Meta:
        verbose_name = "результат анализа по школе"
        verbose_name_plural = "результаты анализа по школам"
        ordering = ["run_id", "school_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "school", "kind"], name="run_school_result_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}: {self.school_id} {self.kind}"

    def table(self, name: str) -> list[dict[str, Any]]:
        """Rows of the stored frame `name` as dicts (empty when absent)."""
        block = self.data.get(name) or {}
        columns = block.get("columns", [])
        return [dict(zip(columns, row, strict=True)) for row in block.get("rows", [])]


class _RiskManager(models.Manager["RiskProfileResult"]):
    def get_queryset(self) -> models.QuerySet[RiskProfileResult]:
        return super().get_queryset().filter(kind=ResultKind.RISK)


class _ObjectivityManager(models.Manager["ObjectivityResult"]):
    def get_queryset(self) -> models.QuerySet[ObjectivityResult]:
        return super().get_queryset().filter(kind=ResultKind.OBJECTIVITY)


class RiskProfileResult(RunSchoolResult):
    """The risk profiles of a run (`RunSchoolResult` rows of kind `risk`), for the API."""

    objects: ClassVar[_RiskManager] = _RiskManager()

    class Meta:
        proxy = True
        verbose_name = "рисковый профиль"
        verbose_name_plural = "рисковые профили"


class ObjectivityResult(RunSchoolResult):
    """The objectivity signs of a run (rows of kind `objectivity`), for the API."""

    objects: ClassVar[_ObjectivityManager] = _ObjectivityManager()

    class Meta:
        proxy = True
        verbose_name = "признаки необъективности"
        verbose_name_plural = "признаки необъективности"
