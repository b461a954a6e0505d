"""The columns of a ГИА results table as a regional processing centre (РЦОИ) exports it.

Columns with names, birth dates and documents are recognised as personal data: the document
series and number (or the one «Документ» column) are read only to derive the student key and
are dropped with the rest before anything is stored.
"""

import json
from functools import cache
from pathlib import Path

from opora.core.importing.headers import HeaderIndex

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "reference" / "reference.json"

GIA_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "school_code",
        (
            "Код ОО",
            "Код образовательной организации",
            "Код школы",
            "Код ОУ",
            "Код организации",
            "ОО код",
            "Логин ОО",
        ),
    ),
    (
        "student_code",
        (
            "Код участника",
            "Идентификатор участника",
            "Код ученика",
            "ID участника",
            "Номер участника",
            "Уникальный код участника",
        ),
    ),
    ("doc_series", ("Серия документа", "Серия паспорта", "Серия")),
    ("doc_number", ("Номер документа", "Номер паспорта", "Номер")),
    ("document", ("Документ", "Документ удостоверяющий личность", "Серия и номер документа")),
    ("class", ("Класс", "Класс с литерой")),
    ("grade", ("Параллель",)),
    (
        "procedure",
        (
            "Процедура",
            "Вид экзамена",
            "Форма ГИА",
            "Форма экзамена",
            "Экзамен",
            "Тип экзамена",
            "Форма проведения",
        ),
    ),
    ("subject", ("Предмет", "Код предмета", "Учебный предмет", "Наименование предмета")),
    ("year", ("Год", "Учебный год")),
    ("exam_date", ("Дата экзамена", "Дата проведения", "Дата")),
    ("period", ("Период", "Этап", "Период проведения")),
    ("category", ("Категория участника", "Категория")),
    ("primary_score", ("Первичный балл", "Сумма первичных баллов", "Первичный")),
    ("test_score", ("Тестовый балл", "Балл", "Балл ЕГЭ", "Стобалльный балл")),
    ("mark", ("Отметка", "Оценка", "Отметка по пятибалльной шкале", "Оценка по 5-балльной шкале")),
    (
        "short_tasks",
        (
            "Задания с кратким ответом",
            "Часть с кратким ответом",
            "Краткий ответ",
            "Ответы на задания с кратким ответом",
        ),
    ),
    (
        "long_tasks",
        ("Задания с развёрнутым ответом", "Часть с развёрнутым ответом", "Развёрнутый ответ"),
    ),
    ("oral_tasks", ("Устная часть", "Задания устной части")),
    ("journal_mark_term", ("Отметка за четверть", "Отметка за полугодие")),
    ("journal_mark_year", ("Годовая отметка", "Отметка за год", "Итоговая отметка")),
    ("medal", ("Медаль", "Медаль за особые успехи в учении", "Медалист")),
)
GIA_INDEX = HeaderIndex(GIA_COLUMNS)
# Fields kept although their header names personal data: hashed into the key, then dropped.
IDENTITY_FIELDS = frozenset({"doc_series", "doc_number", "document"})
# Participants who belong to no school of the registry: skipped, counted.
OUTSIDE_CATEGORIES = ("прошлых лет", "впл", "спо", "профессиональн", "иностранн")
SUMMARY_WORDS = ("средние", "средний", "минимальная граница", "всего участников", "итого")


@cache
def rcoi_subject_codes() -> dict[str, dict[str, str]]:
    """Numeric РЦОИ subject codes per procedure family (`ege`, `oge`) → subject code.

    Kept in the reference file (`rcoi_subject_codes`) with its sources; see
    docs/results-import.md.
    """
    document = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    table = document.get("rcoi_subject_codes", {})
    return {family: dict(codes) for family, codes in table.items() if family != "source"}
