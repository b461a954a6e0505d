"""Assessment procedures, their reference values, student results, school aggregates and batches.

Vocabulary: ВПР = всероссийские проверочные работы; ОГЭ/ЕГЭ = основной/единый государственный
экзамен; ГВЭ = государственный выпускной экзамен; «первичный балл» = raw score, «тестовый балл» =
the 0–100 scaled score of ЕГЭ.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from opora.assessment.choices import BatchStatus, ImportFormat, Medal, Period, ResultKind
from opora.core.fields import BrinOnPostgres, ScoreListField
from opora.core.models import TimeStampedModel
from opora.territory.models import School


class Procedure(TimeStampedModel):
    """An assessment procedure (ВПР, ОГЭ, ЕГЭ, ГВЭ, итоговое сочинение, ...) and what it yields."""

    code = models.CharField("код", max_length=20, primary_key=True)
    name = models.CharField("наименование", max_length=200)
    short_name = models.CharField("краткое наименование", max_length=50)
    result_kind = models.CharField("вид результата", max_length=10, choices=ResultKind.choices)
    grades = models.JSONField("допустимые классы (параллели)", default=list)
    aliases = models.JSONField("другие написания", default=list, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    source = models.TextField("источник", blank=True)

    class Meta:
        verbose_name = "оценочная процедура"
        verbose_name_plural = "оценочные процедуры"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.short_name


class Subject(TimeStampedModel):
    """A school subject as the procedures name it (ЕГЭ базовая и профильная математика apart)."""

    code = models.CharField("код", max_length=30, primary_key=True)
    name = models.CharField("наименование", max_length=200)
    aliases = models.JSONField("другие написания", default=list, blank=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ReferenceValue(TimeStampedModel):
    """Published values of one procedure, subject and year; empty where not established.

    `mark_scale` lists the lowest primary scores of the marks 3, 4 and 5, e.g. `[7, 12, 17]`.
    """

    year = models.PositiveSmallIntegerField("год")
    procedure = models.ForeignKey(Procedure, verbose_name="процедура", on_delete=models.PROTECT)
    subject = models.ForeignKey(Subject, verbose_name="предмет", on_delete=models.PROTECT)
    min_score = models.PositiveSmallIntegerField("минимальный балл", null=True, blank=True)
    min_score_admission = models.PositiveSmallIntegerField(
        "минимальный балл для поступления в вуз", null=True, blank=True
    )
    high_score = models.PositiveSmallIntegerField("порог высокого балла", null=True, blank=True)
    max_primary_score = models.PositiveSmallIntegerField(
        "максимальный первичный балл", null=True, blank=True
    )
    mark_scale = models.JSONField(
        "шкала перевода (нижние границы «3», «4», «5»)", null=True, blank=True
    )
    source = models.TextField("источник", blank=True)

    class Meta:
        verbose_name = "справочное значение"
        verbose_name_plural = "справочные значения (минимальные баллы, шкалы)"
        ordering = ["-year", "procedure", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "procedure", "subject"], name="reference_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.subject_id} {self.year}"


class ImportBatch(models.Model):
    """One loaded file: who, when, which file (name and SHA-256), what it held and its state."""

    created_at = models.DateTimeField("загружен", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто загрузил",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("кто загрузил (имя)", max_length=150, blank=True)
    file_name = models.CharField("файл", max_length=255)
    sha256 = models.CharField("SHA-256 файла", max_length=64, db_index=True)
    format = models.CharField("формат", max_length=20, choices=ImportFormat.choices)
    summary = models.JSONField("состав (процедура, предмет, год → строк)", default=list)
    dropped_columns = models.JSONField("отброшенные столбцы с персональными данными", default=list)
    rows_read = models.PositiveIntegerField("строк прочитано", default=0)
    rows_written = models.PositiveIntegerField("строк записано", default=0)
    status = models.CharField(
        "состояние", max_length=12, choices=BatchStatus.choices, default=BatchStatus.COMMITTED
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="заменён пакетом",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced",
    )
    rolled_back_at = models.DateTimeField("отменён", null=True, blank=True)
    rolled_back_by = models.CharField("кто отменил", max_length=150, blank=True)

    class Meta:
        verbose_name = "пакет загрузки результатов"
        verbose_name_plural = "пакеты загрузки результатов"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"№{self.pk} {self.file_name}"


def _between(field: str, low: int, high: int) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})


class StudentResult(models.Model):
    """One student's result in one procedure, subject, year and period.

    `student_key` is a keyed hash of the source identifier (see `pseudonym.py`): never a name.
    `journal_mark_term`/`journal_mark_year` are the school's own marks in the subject (for
    objectivity checks). `task_scores` lists the score of each task, null for a task not attempted.
    `medal` is the graduate's medal «За особые успехи в учении» (on ЕГЭ/ГВЭ-11 rows, for the
    medalists' confirmation check); `controlled` says whether a ВПР was written under independent
    observers («объективность обеспечена»), null when the source does not say.
    """

    student_key = models.CharField("ключ участника", max_length=32)
    # Single-column FK indexes are left out: the composite indexes below serve the reads and
    # every extra index slows bulk loads. The foreign keys carry no database constraint
    # (db_constraint=False): a referential-integrity trigger per row and key made a million-row
    # COPY 2.5 times slower. The importers check every school, procedure and subject before
    # writing, the batch is created in the same transaction, and PROTECT/CASCADE are applied
    # by Django's deletion collector as before (docs/results-import.md, «Storage»).
    school = models.ForeignKey(
        School,
        verbose_name="школа",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    grade = models.PositiveSmallIntegerField("параллель")
    class_label = models.CharField("класс", max_length=10, blank=True)
    procedure = models.ForeignKey(
        Procedure,
        verbose_name="процедура",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name="предмет",
        on_delete=models.PROTECT,
        db_index=False,
        db_constraint=False,
    )
    year = models.PositiveSmallIntegerField("год")
    period = models.CharField("период", max_length=10, choices=Period.choices)
    primary_score = models.PositiveSmallIntegerField("первичный балл", null=True, blank=True)
    mark = models.PositiveSmallIntegerField("отметка", null=True, blank=True)
    test_score = models.PositiveSmallIntegerField("тестовый балл", null=True, blank=True)
    passed = models.BooleanField("зачёт", null=True, blank=True)
    task_scores = ScoreListField("баллы по заданиям", null=True, blank=True)
    journal_mark_term = models.PositiveSmallIntegerField(
        "отметка в журнале за четверть (полугодие)", null=True, blank=True
    )
    journal_mark_year = models.PositiveSmallIntegerField(
        "годовая отметка в журнале", null=True, blank=True
    )
    medal = models.CharField(
        "медаль «За особые успехи в учении»",
        max_length=6,
        choices=Medal.choices,
        blank=True,
        default=Medal.NONE,
    )
    controlled = models.BooleanField(
        "под общественным наблюдением (объективность обеспечена)", null=True, blank=True
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="пакет загрузки",
        on_delete=models.CASCADE,
        related_name="results",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = "результат участника"
        verbose_name_plural = "результаты участников"
        ordering = ["year", "procedure", "subject", "school", "class_label", "student_key", "id"]
        constraints = [
            models.CheckConstraint(condition=_between("mark", 2, 5), name="result_mark_range"),
            models.CheckConstraint(
                condition=_between("test_score", 0, 100), name="result_test_score_range"
            ),
            models.CheckConstraint(
                condition=_between("journal_mark_term", 2, 5), name="result_journal_term_range"
            ),
            models.CheckConstraint(
                condition=_between("journal_mark_year", 2, 5), name="result_journal_year_range"
            ),
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=12), name="result_grade"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="result_year"),
            models.CheckConstraint(condition=Q(medal__in=Medal.values), name="result_medal"),
        ]
        indexes = [
            models.Index(
                fields=["school", "year", "procedure", "subject"], name="result_school_year_idx"
            ),
            # Rows arrive in batches, mostly one year and procedure each: BRIN page ranges find a
            # year's (or a batch's) rows for regional views, clash checks and rollback at next to
            # no cost per inserted row (the B-tree it replaces cost ≈ 2 s of a million-row COPY).
            BrinOnPostgres(fields=["year", "procedure", "subject"], name="result_year_proc_brin"),
            BrinOnPostgres(fields=["batch"], name="result_batch_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.subject_id} {self.year} {self.student_key[:8]}"


class SchoolResultAggregate(models.Model):
    """School-level figures for sources that publish no student rows (e.g. ФИС ОКО reports)."""

    school = models.ForeignKey(School, verbose_name="школа", on_delete=models.PROTECT)
    procedure = models.ForeignKey(Procedure, verbose_name="процедура", on_delete=models.PROTECT)
    subject = models.ForeignKey(Subject, verbose_name="предмет", on_delete=models.PROTECT)
    grade = models.PositiveSmallIntegerField("параллель")
    year = models.PositiveSmallIntegerField("год")
    period = models.CharField("период", max_length=10, choices=Period.choices, default=Period.MAIN)
    participants = models.PositiveIntegerField("участников")
    count_2 = models.PositiveIntegerField("отметок «2»", null=True, blank=True)
    count_3 = models.PositiveIntegerField("отметок «3»", null=True, blank=True)
    count_4 = models.PositiveIntegerField("отметок «4»", null=True, blank=True)
    count_5 = models.PositiveIntegerField("отметок «5»", null=True, blank=True)
    mean_primary_score = models.DecimalField(
        "средний первичный балл", max_digits=6, decimal_places=2, null=True, blank=True
    )
    mean_test_score = models.DecimalField(
        "средний тестовый балл", max_digits=5, decimal_places=2, null=True, blank=True
    )
    count_below_min = models.PositiveIntegerField(
        "не преодолели минимальный балл", null=True, blank=True
    )
    count_high = models.PositiveIntegerField("высокобалльников", null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="пакет загрузки",
        on_delete=models.CASCADE,
        related_name="aggregates",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "результат школы (агрегат)"
        verbose_name_plural = "результаты школ (агрегаты)"
        ordering = ["year", "procedure", "subject", "grade", "school", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "procedure", "subject", "grade", "year", "period"],
                name="aggregate_unique",
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=12), name="aggregate_grade"
            ),
            models.CheckConstraint(
                condition=_between("mean_test_score", 0, 100), name="aggregate_mean_test_range"
            ),
            models.CheckConstraint(
                condition=Q(
                    participants__gte=F("count_2") + F("count_3") + F("count_4") + F("count_5")
                ),
                name="aggregate_marks_within_participants",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "procedure", "subject"], name="aggregate_year_proc_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.procedure_id} {self.subject_id} {self.year}"
