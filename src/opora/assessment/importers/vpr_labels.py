"""The label cells of a ВПР form sheet («Код ОО», «Предмет», «Класс», «Год», «Период»,
«Общественное наблюдение»), checked and completed from the sheet and file names.
"""

import re
from dataclasses import dataclass
from pathlib import PurePath

from opora.assessment.importers.base import ErrorCollector, ImportOptions, ReferenceContext
from opora.assessment.importers.columns import CONTROLLED_WORDS, PERIOD_WORDS
from opora.assessment.importers.workbook import Cell, parse_class, school_year_of
from opora.core.importing.headers import HeaderIndex, normalize_text

LABELS = HeaderIndex(
    [
        (
            "school",
            (
                "Код ОО",
                "Код школы",
                "Код образовательной организации",
                "Код организации",
                "Логин ОО",
                "Логин",
                "Логин ФИС ОКО",
            ),
        ),
        ("subject", ("Предмет", "Учебный предмет")),
        ("grade", ("Класс", "Параллель")),
        ("year", ("Год", "Учебный год", "Год проведения", "Дата проведения", "Дата")),
        ("period", ("Период", "Этап")),
        (
            "controlled",
            (
                "Объективность обеспечена",
                "Общественное наблюдение",
                "Наблюдатели",
                "Присутствие наблюдателей",
                "Независимые наблюдатели",
            ),
        ),
    ]
)


@dataclass
class SheetFacts:
    """What the labels (and the sheet name and file name) say about one class sheet."""

    school_code: str
    subject: str
    grade: int
    class_label: str
    year: int
    period: str
    controlled: str | None


def _file_tokens(file_name: str) -> list[str]:
    return [t for t in re.split(r"[\s_\-.,()]+", PurePath(file_name).stem) if t]


def _school(
    cell: Cell | None, file_name: str, context: ReferenceContext, errors: ErrorCollector, sheet: str
) -> str | None:
    codes = {pk: code for code, pk in context.school_ids.items()}
    if cell is not None:
        pk = context.school_ids.get(cell.value) or context.school_logins.get(
            cell.value.strip().casefold()
        )
        if pk is None:
            errors.cell_error(
                sheet,
                cell.row,
                cell.letter,
                cell.label,
                cell.value,
                "школы с таким кодом (или логином ФИС ОКО) нет в реестре",
            )
            return None
        return codes[pk]
    for token in _file_tokens(file_name):
        pk = context.school_ids.get(token) or context.school_logins.get(token.casefold())
        if pk is not None:
            return codes[pk]
    errors.file_error(
        "Не указана школа: добавьте над таблицей ячейку «Код ОО: …» (код в реестре или логин "
        "ФИС ОКО) или начните имя файла с кода школы.",
        sheet,
    )
    return None


def sheet_facts(
    sheet: str,
    labels: dict[str, Cell],
    file_name: str,
    context: ReferenceContext,
    options: ImportOptions,
    procedure: str,
    errors: ErrorCollector,
) -> SheetFacts | None:
    """Check the label cells of a sheet; None if any is missing or wrong (errors recorded)."""
    before = errors.count
    school = _school(labels.get("school"), file_name, context, errors, sheet)

    def bad(cell: Cell, message: str) -> None:
        errors.cell_error(sheet, cell.row, cell.letter, cell.label, cell.value, message)

    subject = ""
    if (cell := labels.get("subject")) is None:
        errors.file_error("Не указан предмет: добавьте над таблицей ячейку «Предмет: …».", sheet)
    elif (code := context.subject_names.get(normalize_text(cell.value))) is None:
        bad(cell, "неизвестный предмет")
    else:
        subject = code
    grade, class_label = _grade(sheet, labels.get("grade"), procedure, context, errors)
    year = _year(sheet, labels.get("year"), file_name, context, options, errors)
    period = "main"
    if (cell := labels.get("period")) is not None:
        period = PERIOD_WORDS.get(normalize_text(cell.value), "")
        if not period:
            bad(cell, "неизвестный период: ожидается основной, дополнительный или осенний")
    controlled = None
    if (cell := labels.get("controlled")) is not None:
        word = normalize_text(cell.value) or cell.value.strip()
        if word not in CONTROLLED_WORDS:
            bad(cell, "ожидается «да» (наблюдатели были, объективность обеспечена) или «нет»")
        controlled = "да" if CONTROLLED_WORDS.get(word) else "нет"
    if errors.count > before or school is None or grade is None or year is None:
        return None
    return SheetFacts(school, subject, grade, class_label, year, period, controlled)


def _grade(
    sheet: str, cell: Cell | None, procedure: str, context: ReferenceContext, errors: ErrorCollector
) -> tuple[int | None, str]:
    """The grade and class from the «Класс»/«Параллель» cell and the sheet name."""
    from_sheet = parse_class(sheet)
    from_cell = parse_class(cell.value) if cell is not None else None
    if cell is not None and from_cell is None:
        errors.cell_error(
            sheet, cell.row, cell.letter, cell.label, cell.value, "ожидается класс: 5 или 5А"
        )
        return None, ""
    if from_cell and from_sheet and from_cell[0] != from_sheet[0]:
        errors.cell_error(
            sheet,
            cell.row if cell else 0,
            cell.letter if cell else "",
            cell.label if cell else "",
            cell.value if cell else "",
            f"параллель не совпадает с названием листа «{sheet}»",
        )
        return None, ""
    found = from_cell or from_sheet
    if found is None:
        errors.file_error(
            "Не указан класс: назовите лист по классу («5А») или добавьте ячейку «Класс: 5».",
            sheet,
        )
        return None, ""
    grade = found[0]
    label = (from_cell[1] if from_cell else "") or (from_sheet[1] if from_sheet else "")
    if grade not in context.procedure_grades.get(procedure, []):
        allowed = ", ".join(str(g) for g in context.procedure_grades.get(procedure, []))
        message = f"параллель {grade} не допускается для процедуры (допустимы {allowed})"
        if cell is not None:
            errors.cell_error(sheet, cell.row, cell.letter, cell.label, cell.value, message)
        else:
            errors.file_error(f"Лист «{sheet}»: {message}.", sheet)
        return None, ""
    return grade, label


def _year(
    sheet: str,
    cell: Cell | None,
    file_name: str,
    context: ReferenceContext,
    options: ImportOptions,
    errors: ErrorCollector,
) -> int | None:
    """The year from the «Год»/«Дата проведения» cell, `--year` or a 20xx in the file name."""
    if cell is not None:
        year = school_year_of(cell.value)
        if year is None or not context.min_year <= year <= context.max_year:
            errors.cell_error(
                sheet,
                cell.row,
                cell.letter,
                cell.label,
                cell.value,
                f"ожидается год {context.min_year}–{context.max_year}: 2024, 2023/2024 или "
                "дата проведения дд.мм.гггг",
            )
            return None
        return year
    if options.year is not None:
        return options.year
    years = [int(t) for t in _file_tokens(file_name) if re.fullmatch(r"20\d\d", t)]
    if len(set(years)) == 1 and context.min_year <= years[0] <= context.max_year:
        return years[0]
    errors.file_error(
        "Не указан год: добавьте ячейку «Год: 2024» над таблицей, укажите --year или год в "
        "имени файла.",
        sheet,
    )
    return None
