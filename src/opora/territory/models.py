"""Territory (region → municipality → settlement) and the school registry with yearly context."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from opora.core.models import TimeStampedModel
from opora.territory.choices import (
    MunicipalityKind,
    PopulationBand,
    SchoolType,
    TransportAccess,
    population_band,
)

SHARE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


def share_field(label: str) -> models.DecimalField:
    """A percentage 0–100 with two decimals; empty when unknown."""
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, null=True, blank=True, validators=SHARE_VALIDATORS
    )


def count_field(label: str) -> models.PositiveIntegerField:
    """A non-negative count; empty when unknown."""
    return models.PositiveIntegerField(label, null=True, blank=True)


def rate_field(label: str) -> models.DecimalField:
    """Staff rates (ставки), non-negative, e.g. 1.5."""
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class Region(TimeStampedModel):
    """A subject of the Russian Federation (субъект РФ): the top of the territory."""

    code = models.CharField("код", max_length=10, unique=True)
    name = models.CharField("наименование", max_length=200)

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Municipality(TimeStampedModel):
    """A municipal formation of a region (МО): district, okrug, city district or city."""

    region = models.ForeignKey(
        Region, verbose_name="регион", on_delete=models.PROTECT, related_name="municipalities"
    )
    code = models.CharField("код", max_length=20)
    name = models.CharField("наименование", max_length=200)
    kind = models.CharField("вид", max_length=20, choices=MunicipalityKind.choices)

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="municipality_code_unique"),
            models.UniqueConstraint(fields=["region", "name"], name="municipality_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Settlement(TimeStampedModel):
    """A populated place (населённый пункт) with its population band and urban/rural status."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципалитет",
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    name = models.CharField("наименование", max_length=200)
    population = models.PositiveIntegerField("численность населения", null=True, blank=True)
    population_band = models.CharField(
        "группа по численности", max_length=10, choices=PopulationBand.choices
    )
    is_urban = models.BooleanField("городской", default=False)

    class Meta:
        verbose_name = "населённый пункт"
        verbose_name_plural = "населённые пункты"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="settlement_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.population is not None:
            self.population_band = population_band(self.population)
        super().save(*args, **kwargs)


class School(TimeStampedModel):
    """A general education school (ОО): the stable part of the school card.

    What changes from year to year lives in `SchoolSnapshot`.
    """

    code = models.CharField(
        "код школы", max_length=32, unique=True, help_text="Постоянный идентификатор в Опоре"
    )
    inn = models.CharField("ИНН", max_length=12, blank=True)
    ogrn = models.CharField("ОГРН", max_length=15, blank=True)
    fis_oko_login = models.CharField("логин ФИС ОКО", max_length=32, blank=True)
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    school_type = models.CharField("тип", max_length=20, choices=SchoolType.choices)
    teaches_primary = models.BooleanField("начальное общее (1–4)", default=True)
    teaches_basic = models.BooleanField("основное общее (5–9)", default=True)
    teaches_secondary = models.BooleanField("среднее общее (10–11)", default=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name="муниципалитет", on_delete=models.PROTECT, related_name="schools"
    )
    settlement = models.ForeignKey(
        Settlement,
        verbose_name="населённый пункт",
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
    )
    is_urban = models.BooleanField("городская", default=False)
    transport_access = models.CharField(
        "транспортная доступность", max_length=10, choices=TransportAccess.choices, blank=True
    )
    shifts = models.PositiveSmallIntegerField(
        "число смен", default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    is_active = models.BooleanField("действующая", default=True)

    class Meta:
        verbose_name = "школа"
        verbose_name_plural = "школы"
        ordering = ["short_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shifts__gte=1) & Q(shifts__lte=3),
                name="school_shifts_range",
                violation_error_message="Число смен должно быть от 1 до 3.",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "short_name"], name="school_muni_name_idx")]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        if (
            self.settlement is not None
            and self.municipality_id
            and self.settlement.municipality_id != self.municipality_id
        ):
            raise ValidationError(
                {"settlement": "Населённый пункт относится к другому муниципалитету."}
            )

    @property
    def levels_display(self) -> str:
        """Levels of education taught, in Russian."""
        names = []
        if self.teaches_primary:
            names.append("НОО")
        if self.teaches_basic:
            names.append("ООО")
        if self.teaches_secondary:
            names.append("СОО")
        return ", ".join(names)


GRADES = list(range(1, 12))

# (part, whole, Russian message): a part may never exceed its whole.
PART_WHOLE_RULES: list[tuple[str, str, str]] = [
    ("teachers_highest_category", "teachers_total", "учителей с высшей категорией"),
    ("teachers_first_category", "teachers_total", "учителей с первой категорией"),
    ("teachers_over_55", "teachers_total", "учителей старше 55 лет"),
    ("teachers_under_35", "teachers_total", "учителей моложе 35 лет"),
    ("teachers_without_subject_training", "teachers_total", "учителей без профильной подготовки"),
    ("classrooms_with_projector", "classrooms_total", "кабинетов с проектором"),
    ("classrooms_with_board", "classrooms_total", "кабинетов с интерактивной доской"),
    ("computers_outdated", "computers_total", "устаревших компьютеров"),
    ("buildings_need_repair", "buildings_total", "зданий, требующих ремонта"),
]


class SchoolSnapshot(TimeStampedModel):
    """The context of a school in one school year: contingent, families, staff, equipment.

    `year` is the calendar year in which the school year ends (2024 for 2023/24), so a snapshot
    lines up with the exams of that spring.
    """

    school = models.ForeignKey(
        School, verbose_name="школа", on_delete=models.CASCADE, related_name="snapshots"
    )
    year = models.PositiveSmallIntegerField(
        "учебный год (год окончания)",
        validators=[
            MinValueValidator(settings.OPORA_MIN_YEAR),
            MaxValueValidator(settings.OPORA_MAX_YEAR),
        ],
    )
    # Contingent
    students_g1 = count_field("обучающихся в 1 классе")
    students_g2 = count_field("обучающихся во 2 классе")
    students_g3 = count_field("обучающихся в 3 классе")
    students_g4 = count_field("обучающихся в 4 классе")
    students_g5 = count_field("обучающихся в 5 классе")
    students_g6 = count_field("обучающихся в 6 классе")
    students_g7 = count_field("обучающихся в 7 классе")
    students_g8 = count_field("обучающихся в 8 классе")
    students_g9 = count_field("обучающихся в 9 классе")
    students_g10 = count_field("обучающихся в 10 классе")
    students_g11 = count_field("обучающихся в 11 классе")
    students_total = models.PositiveIntegerField("обучающихся всего", default=0, editable=False)
    ovz_share = share_field("доля обучающихся с ОВЗ, %")
    rkn_share = share_field("доля обучающихся с русским как неродным (РКН), %")
    # Social context of families
    low_income_share = share_field("доля малообеспеченных семей, %")
    large_families_share = share_field("доля многодетных семей, %")
    single_parent_share = share_field("доля неполных семей, %")
    unemployed_parents_share = share_field("доля семей с безработными родителями, %")
    parents_higher_ed_share = share_field("доля родителей с высшим образованием, %")
    # Staff
    teachers_total = count_field("учителей всего")
    teachers_highest_category = count_field("учителей с высшей категорией")
    teachers_first_category = count_field("учителей с первой категорией")
    teachers_over_55 = count_field("учителей старше 55 лет")
    teachers_under_35 = count_field("учителей моложе 35 лет")
    vacancies_over_year = count_field("вакансий, не закрытых более года")
    teachers_without_subject_training = count_field("учителей без профильной подготовки")
    avg_teacher_load = models.DecimalField(
        "средняя нагрузка учителя, часов в неделю",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    # Specialists: staff rates and contracted persons
    psychologist_rates = rate_field("педагог-психолог, ставок")
    psychologist_contracted = count_field("педагог-психолог по договору, чел.")
    defectologist_rates = rate_field("учитель-дефектолог, ставок")
    defectologist_contracted = count_field("учитель-дефектолог по договору, чел.")
    speech_therapist_rates = rate_field("учитель-логопед, ставок")
    speech_therapist_contracted = count_field("учитель-логопед по договору, чел.")
    social_pedagogue_rates = rate_field("социальный педагог, ставок")
    social_pedagogue_contracted = count_field("социальный педагог по договору, чел.")
    # Equipment
    classrooms_total = count_field("учебных кабинетов")
    classrooms_with_projector = count_field("кабинетов с проектором")
    classrooms_with_board = count_field("кабинетов с интерактивной доской")
    computers_total = count_field("компьютеров")
    computers_outdated = count_field("устаревших компьютеров")
    internet_speed_mbps = models.DecimalField(
        "скорость интернета, Мбит/с",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    buildings_total = count_field("зданий")
    buildings_need_repair = count_field("зданий, требующих капитального ремонта")
    # Programs and centres
    has_tochka_rosta = models.BooleanField("центр «Точка роста»", default=False)
    profile_classes = count_field("профильных классов")

    class Meta:
        verbose_name = "годовой срез школы"
        verbose_name_plural = "годовые срезы школ"
        ordering = ["school_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="snapshot_school_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="snapshot_year_range",
                violation_error_message="Год должен быть в пределах 2000–2100.",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__lte": 100}),
                    name=f"snapshot_{name}_max_100",
                    violation_error_message="Доля не может превышать 100 %.",
                )
                for name in [
                    "ovz_share",
                    "rkn_share",
                    "low_income_share",
                    "large_families_share",
                    "single_parent_share",
                    "unemployed_parents_share",
                    "parents_higher_ed_share",
                ]
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{part}__isnull": True})
                    | Q(**{f"{whole}__isnull": True})
                    | Q(**{f"{part}__lte": F(whole)}),
                    name=f"snapshot_{part}_le_{whole}",
                    violation_error_message=f"Число {label} больше общего числа.",
                )
                for part, whole, label in PART_WHOLE_RULES
            ],
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.school_year_display}"

    @property
    def school_year_display(self) -> str:
        """The school year as users write it: 2023/24."""
        return f"{self.year - 1}/{str(self.year)[-2:]}"

    def grade_counts(self) -> dict[int, int | None]:
        """Students by grade 1–11."""
        return {grade: getattr(self, f"students_g{grade}") for grade in GRADES}

    def compute_total(self) -> int:
        return sum(value or 0 for value in self.grade_counts().values())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for part, whole, label in PART_WHOLE_RULES:
            part_value = getattr(self, part)
            whole_value = getattr(self, whole)
            if part_value is not None and whole_value is not None and part_value > whole_value:
                whole_label = getattr(self._meta.get_field(whole), "verbose_name", whole)
                errors[part] = (
                    f"Число {label} ({part_value}) больше, чем «{whole_label}» ({whole_value})."
                )
        categories = (self.teachers_highest_category or 0) + (self.teachers_first_category or 0)
        if self.teachers_total is not None and categories > self.teachers_total:
            errors.setdefault(
                "teachers_first_category",
                f"Учителей с высшей и первой категорией вместе ({categories}) больше, "
                f"чем учителей всего ({self.teachers_total}).",
            )
        ages = (self.teachers_over_55 or 0) + (self.teachers_under_35 or 0)
        if self.teachers_total is not None and ages > self.teachers_total:
            errors.setdefault(
                "teachers_under_35",
                f"Учителей старше 55 и моложе 35 лет вместе ({ages}) больше, "
                f"чем учителей всего ({self.teachers_total}).",
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.students_total = self.compute_total()
        super().save(*args, **kwargs)


# Groups of snapshot fields in the order the school card and the import template show them.
SNAPSHOT_GROUPS: list[tuple[str, list[str]]] = [
    (
        "Контингент",
        [f"students_g{grade}" for grade in GRADES] + ["ovz_share", "rkn_share"],
    ),
    (
        "Социальный контекст",
        [
            "low_income_share",
            "large_families_share",
            "single_parent_share",
            "unemployed_parents_share",
            "parents_higher_ed_share",
        ],
    ),
    (
        "Кадры",
        [
            "teachers_total",
            "teachers_highest_category",
            "teachers_first_category",
            "teachers_over_55",
            "teachers_under_35",
            "vacancies_over_year",
            "teachers_without_subject_training",
            "avg_teacher_load",
        ],
    ),
    (
        "Специалисты",
        [
            "psychologist_rates",
            "psychologist_contracted",
            "defectologist_rates",
            "defectologist_contracted",
            "speech_therapist_rates",
            "speech_therapist_contracted",
            "social_pedagogue_rates",
            "social_pedagogue_contracted",
        ],
    ),
    (
        "Оснащение",
        [
            "classrooms_total",
            "classrooms_with_projector",
            "classrooms_with_board",
            "computers_total",
            "computers_outdated",
            "internet_speed_mbps",
            "buildings_total",
            "buildings_need_repair",
        ],
    ),
    ("Программы и центры", ["has_tochka_rosta", "profile_classes"]),
]

SNAPSHOT_FIELDS: list[str] = [name for _, names in SNAPSHOT_GROUPS for name in names]
