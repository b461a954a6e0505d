"""The XLSX template of the canonical result format (`opora template results FILE.xlsx`)."""

from opora.assessment.choices import Period
from opora.assessment.importers.canonical import SHEET_NAME
from opora.assessment.importers.columns import CANONICAL_COLUMNS
from opora.core.importing import TemplateKind, build_template, register_template
from opora.core.importing.columns import Column, Kind

_KINDS = {
    "year": Kind.YEAR,
    "grade": Kind.INTEGER,
    "primary_score": Kind.INTEGER,
    "mark": Kind.INTEGER,
    "test_score": Kind.INTEGER,
    "journal_mark_term": Kind.INTEGER,
    "journal_mark_year": Kind.INTEGER,
    "period": Kind.CHOICE,
}


def build_results_template() -> bytes:
    """The workbook: an empty «Результаты» sheet, an example and the column instructions."""
    columns = [
        Column(
            key=c.key,
            header=c.header,
            kind=_KINDS.get(c.key, Kind.TEXT),
            description=c.help,
            example=c.example,
            required=c.required,
            aliases=c.aliases,
            choices=Period.choices if c.key == "period" else (),
        )
        for c in CANONICAL_COLUMNS
    ]
    return build_template(
        columns=columns,
        data_sheet=SHEET_NAME,
        title="Результаты оценочных процедур: канонический формат Опоры",
        intro=[
            "Одна строка — результат одного участника по одной процедуре, предмету, году и периоду.",
            "Не вносите ФИО, даты рождения и номера документов: такие столбцы отбрасываются.",
            "Код участника хранится только в виде ключевого хеша (псевдоним).",
            "Файл загружается целиком или не загружается вовсе; ошибки называют лист, строку и "
            "столбец. Загрузка: opora import-results ФАЙЛ.",
        ],
        example={c.key: c.example for c in CANONICAL_COLUMNS},
    )


RESULTS_TEMPLATE = register_template(
    TemplateKind(
        key="results",
        name="Результаты оценочных процедур",
        description="ВПР, ОГЭ, ЕГЭ, ГВЭ, итоговое сочинение и собеседование: строка на участника",
        filename="opora-shablon-rezultaty.xlsx",
        build=build_results_template,
    )
)
