"""The columns of the school registry file: the school card, its territory and a yearly snapshot.

Headers are the verbose names of the model fields, so the file, the card and the admin speak the
same words. One row is one school in one year.
"""

from django.conf import settings
from django.db import models

from opora.core.importing import Column, Kind, build_template
from opora.territory.choices import MunicipalityKind, PopulationBand, SchoolType, TransportAccess
from opora.territory.models import SNAPSHOT_FIELDS, SNAPSHOT_GROUPS, School, SchoolSnapshot

DATA_SHEET = "Школы"
URBAN_WORDS: dict[str, object] = {
    "городская": True,
    "город": True,
    "городской": True,
    "сельская": False,
    "село": False,
    "сельский": False,
}


def _header(model: type[models.Model], name: str) -> str:
    label = str(getattr(model._meta.get_field(name), "verbose_name", name))
    return label[:1].upper() + label[1:]


def _card(name: str, kind: Kind, description: str, example: str, **extra: object) -> Column:
    return Column(
        key=name,
        header=_header(School, name),
        kind=kind,
        description=description,
        example=example,
        group="Карточка школы",
        **extra,  # type: ignore[arg-type]
    )


CARD_COLUMNS: list[Column] = [
    _card(
        "code",
        Kind.TEXT,
        "Постоянный код школы в Опоре; по нему повторная загрузка находит и обновляет школу.",
        "ШК-0001",
        required=True,
        aliases=("код", "код ОО", "код организации"),
    ),
    _card("inn", Kind.TEXT, "ИНН организации (10 или 12 цифр).", "6600000001"),
    _card("ogrn", Kind.TEXT, "ОГРН организации (13 цифр).", "1026600000001"),
    _card("fis_oko_login", Kind.TEXT, "Логин школы в ФИС ОКО, если известен.", "sch660001"),
    _card(
        "full_name",
        Kind.TEXT,
        "Полное наименование по уставу.",
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
        note="нужно для новой школы",
        aliases=("наименование ОО", "полное наименование ОО"),
    ),
    _card(
        "short_name",
        Kind.TEXT,
        "Краткое наименование, как его показывают списки.",
        "МБОУ СШ № 1",
        note="нужно для новой школы",
    ),
    _card(
        "school_type",
        Kind.CHOICE,
        "Тип общеобразовательной организации.",
        SchoolType.SOSH.label,
        note="нужно для новой школы",
        aliases=("тип школы", "тип ОО"),
        choices=SchoolType.choices,
    ),
    _card("teaches_primary", Kind.BOOLEAN, "Реализует ли школа начальное общее образование.", "да"),
    _card("teaches_basic", Kind.BOOLEAN, "Реализует ли школа основное общее образование.", "да"),
    _card("teaches_secondary", Kind.BOOLEAN, "Реализует ли школа среднее общее образование.", "да"),
    _card("address", Kind.TEXT, "Почтовый адрес основного здания.", "г. Энск, ул. Школьная, 1"),
    Column(
        key="municipality",
        header="Муниципалитет",
        kind=Kind.TEXT,
        description="Наименование муниципалитета региона. Новый муниципалитет создаётся по имени.",
        example="Энский муниципальный район",
        note="нужно для новой школы",
        aliases=("муниципальное образование", "МО", "муниципальный район"),
        group="Территория",
    ),
    Column(
        key="municipality_kind",
        header="Вид муниципалитета",
        kind=Kind.CHOICE,
        description="Вид муниципального образования; читается, только когда муниципалитет новый.",
        example=MunicipalityKind.MUNICIPAL_DISTRICT.label,
        note="нужно для нового муниципалитета",
        choices=MunicipalityKind.choices,
        group="Территория",
    ),
    Column(
        key="municipality_code",
        header="Код муниципалитета",
        kind=Kind.TEXT,
        description="Код нового муниципалитета; если не указан, Опора присвоит код сама.",
        example="",
        group="Территория",
    ),
    Column(
        key="settlement",
        header="Населённый пункт",
        kind=Kind.TEXT,
        description="Населённый пункт, где находится школа. Новый создаётся по имени.",
        example="с. Берёзовка",
        group="Территория",
    ),
    Column(
        key="settlement_population",
        header="Численность населения",
        kind=Kind.INTEGER,
        description="Численность населения населённого пункта, человек.",
        example="2400",
        note="для нового населённого пункта нужна численность или группа по численности",
        aliases=("численность населения населенного пункта",),
        group="Территория",
    ),
    Column(
        key="settlement_band",
        header="Группа по численности",
        kind=Kind.CHOICE,
        description="Группа населённого пункта по численности, если сама численность неизвестна.",
        example="",
        choices=PopulationBand.choices,
        group="Территория",
    ),
    _card(
        "is_urban",
        Kind.BOOLEAN,
        "Городская (да) или сельская (нет) школа; можно писать «городская» / «сельская».",
        "нет",
        aliases=("городская сельская", "городская или сельская"),
        extra_words=URBAN_WORDS,
    ),
    _card(
        "transport_access",
        Kind.CHOICE,
        "Транспортная доступность крупного города.",
        TransportAccess.ONE_DAY.label,
        choices=TransportAccess.choices,
    ),
    _card("shifts", Kind.INTEGER, "Число смен, от 1 до 3.", "1", aliases=("сменность",)),
    _card(
        "is_active", Kind.BOOLEAN, "Действует ли школа (нет — закрыта или реорганизована).", "да"
    ),
]

YEAR_COLUMN = Column(
    key="year",
    header="Год",
    kind=Kind.YEAR,
    description=(
        "Год окончания учебного года, к которому относятся сведения строки (2024 для 2023/24); "
        "можно писать и «2023/24»."
    ),
    example="2024",
    required=True,
    aliases=("учебный год", "учебный год (год окончания)"),
    group="Годовой срез",
)


def _snapshot_column(name: str, group: str, example: str) -> Column:
    field = SchoolSnapshot._meta.get_field(name)
    header = _header(SchoolSnapshot, name)
    if isinstance(field, models.BooleanField):
        return Column(
            name, header, Kind.BOOLEAN, f"{header}: есть (да) или нет.", example, group=group
        )
    if isinstance(field, models.DecimalField):
        if name.endswith("_share"):
            description = f"{header}: процент от 0 до 100."
        else:
            description = f"{header}: число не меньше 0."
        return Column(
            name,
            header,
            Kind.DECIMAL,
            description,
            example,
            group=group,
            decimal_places=field.decimal_places,
        )
    return Column(
        name, header, Kind.INTEGER, f"{header}: целое число не меньше 0.", example, group=group
    )


SNAPSHOT_EXAMPLE = {
    **{f"students_g{grade}": str(20 + grade) for grade in range(1, 12)},
    "ovz_share": "4,5",
    "rkn_share": "1,2",
    "low_income_share": "18",
    "large_families_share": "22,5",
    "single_parent_share": "15",
    "unemployed_parents_share": "6",
    "parents_higher_ed_share": "31",
    "teachers_total": "24",
    "teachers_highest_category": "8",
    "teachers_first_category": "9",
    "teachers_over_55": "7",
    "teachers_under_35": "4",
    "vacancies_over_year": "1",
    "teachers_without_subject_training": "2",
    "avg_teacher_load": "23,5",
    "psychologist_rates": "0,5",
    "psychologist_contracted": "0",
    "defectologist_rates": "0",
    "defectologist_contracted": "1",
    "speech_therapist_rates": "0,25",
    "speech_therapist_contracted": "0",
    "social_pedagogue_rates": "1",
    "social_pedagogue_contracted": "0",
    "classrooms_total": "20",
    "classrooms_with_projector": "14",
    "classrooms_with_board": "6",
    "computers_total": "35",
    "computers_outdated": "12",
    "internet_speed_mbps": "50",
    "buildings_total": "1",
    "buildings_need_repair": "0",
    "has_tochka_rosta": "да",
    "profile_classes": "1",
}
_GROUP_OF = {name: group for group, names in SNAPSHOT_GROUPS for name in names}
SNAPSHOT_COLUMNS: list[Column] = [
    _snapshot_column(name, _GROUP_OF[name], SNAPSHOT_EXAMPLE.get(name, ""))
    for name in SNAPSHOT_FIELDS
]
COLUMNS: list[Column] = [*CARD_COLUMNS, YEAR_COLUMN, *SNAPSHOT_COLUMNS]
TERRITORY_KEYS = {
    "municipality",
    "municipality_kind",
    "municipality_code",
    "settlement",
    "settlement_population",
    "settlement_band",
}
CARD_FIELDS = [column.key for column in CARD_COLUMNS if column.key not in TERRITORY_KEYS]


def build_schools_template() -> bytes:
    """The XLSX template of the school registry with instructions and an example row."""
    example = {column.key: column.example for column in COLUMNS}
    return build_template(
        columns=COLUMNS,
        data_sheet=DATA_SHEET,
        title="Шаблон реестра школ Опоры",
        intro=[
            "Заполните лист «Школы»: одна строка — одна школа в одном учебном году.",
            "Заголовки не переименовывайте; лишние столбцы можно удалить, порядок не важен.",
            "Обязательны столбцы «Код школы» и «Год»; для новой школы нужны также полное и "
            "краткое наименование, тип и муниципалитет.",
            "Пустая ячейка не меняет уже сохранённое значение. Доли — в процентах от 0 до 100.",
            f"Год — от {settings.OPORA_MIN_YEAR} до {settings.OPORA_MAX_YEAR}. Заполненный "
            "образец строки — на листе «Пример».",
            "Загрузка выполняется целиком или не выполняется вовсе: при любой ошибке ничего "
            "не записывается, а Опора перечисляет все ошибки с указанием строки и столбца.",
        ],
        example=example,
    )
