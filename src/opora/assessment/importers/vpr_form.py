"""The ВПР collection form as a school fills it: one workbook per school, one sheet per class.

Above each table: label cells (school, subject, class or grade, year, period, observers); the
table: participant code, task scores (a «Максимальный балл» row may follow the header), total,
mark and journal marks. Every sheet becomes canonical text rows that `checks.validate` checks
like any other file, after the form's own checks (labels, task maxima, totals).
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

import polars as pl

from opora.assessment.importers import checks
from opora.assessment.importers.base import (
    RESULT_COLUMNS,
    ErrorCollector,
    ImportOptions,
    ParsedResults,
    ReferenceContext,
)
from opora.assessment.importers.columns import CONTROLLED_WORDS, PERIOD_WORDS
from opora.assessment.importers.keys import KeyJob, with_keys
from opora.assessment.importers.vpr_layout import Layout, data_rows, find_layout
from opora.assessment.importers.vpr_tasks import sheet_rows
from opora.assessment.importers.workbook import (
    Cell,
    label_cells,
    parse_class,
    read_sheets,
    school_year_of,
)
from opora.core.importing.headers import HeaderIndex, normalize_text

KEY_NAMESPACE = "vpr"
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


class VprFormFormat:
    """`opora import-results FILE --format vpr-form`: the school's ВПР collection workbook."""

    code = "vpr-form"
    name = "Форма сбора результатов ВПР (книга школы)"
    description = (
        "Книга XLSX одной школы, по листу на класс. Над таблицей — ячейки «Код ОО», «Предмет», "
        "«Класс», «Год» (или код школы и год в имени файла); в таблице — «Код участника» "
        "(или «№»), баллы по заданиям «1», «2», «3.1»…, строка «Максимальный балл», «Сумма "
        "баллов», «Отметка», отметки за четверть и за год."
    )

    def parse(
        self, data: bytes, file_name: str, context: ReferenceContext, options: ImportOptions
    ) -> ParsedResults:
        """Read and check every class sheet; never raise on bad input."""
        sha = hashlib.sha256(data).hexdigest()
        parsed = ParsedResults(file_name, sha, self.code, pl.DataFrame(schema=RESULT_COLUMNS), 0)
        errors = ErrorCollector.for_parsed(parsed)
        sheets, problem = read_sheets(data)
        if problem:
            errors.file_error(problem)
            return _failed(parsed, errors)
        tables: list[tuple[str, list[list[str]], Layout]] = []
        general: dict[str, Cell] = {}
        for name, rows in sheets:
            layout = find_layout(rows)
            if layout is None:
                found, _ = label_cells(name, rows, LABELS, len(rows))
                general = {**found, **general}
                continue
            tables.append((name, rows, layout))
        if not tables:
            errors.file_error(
                "Не найдено ни одного листа с таблицей: ожидается строка заголовка с «Код "
                "участника» (или «№») и номерами заданий «1», «2», …"
            )
            return _failed(parsed, errors)
        procedure = _procedure(options, context, errors)
        frames = []
        for name, rows, layout in tables:
            parsed.dropped_columns += [h for h in layout.dropped if h not in parsed.dropped_columns]
            for message in layout.problems:
                errors.file_error(f"Таблица: {message}.", name)
            labels, conflicts = label_cells(name, rows, LABELS, layout.top)
            for cell in conflicts:
                errors.cell_error(
                    name,
                    cell.row,
                    cell.letter,
                    cell.label,
                    cell.value,
                    "значение повторяется с другим содержанием выше на листе",
                )
            facts = _facts(
                name, {**general, **labels}, file_name, context, options, procedure, errors
            )
            body, stray = data_rows(rows, layout)
            if stray is not None:
                errors.file_error(
                    f"После пустой строки таблица продолжается (строка {stray + 1}): уберите "
                    "пустую строку внутри таблицы.",
                    name,
                )
            if facts is None or layout.problems:
                continue
            frame, skipped = sheet_rows(name, rows, layout, body, facts, procedure, context, errors)
            parsed.skipped_rows += skipped
            parsed.sheet_letters[name] = {
                "student_id": layout.letter("code"),
                "primary_score": layout.letter("total"),
                "mark": layout.letter("mark"),
                "journal_mark_term": layout.letter("journal_mark_term"),
                "journal_mark_year": layout.letter("journal_mark_year"),
                "class_label": layout.letter("class_label"),
            }
            parsed.sheet_headers[name] = {
                "student_id": layout.headers.get("code", "№"),
                "primary_score": layout.headers.get("total", ""),
                **{k: layout.headers.get(k, "") for k in ("mark", "class_label")},
                **{
                    k: layout.headers.get(k, "") for k in ("journal_mark_term", "journal_mark_year")
                },
            }
            frames.append(frame)
        if errors.count:
            return _failed(parsed, errors)
        frame = pl.concat(frames) if frames else pl.DataFrame()
        if frame.is_empty():
            errors.file_error("В книге нет ни одной строки с результатами участников.")
            return _failed(parsed, errors)
        parsed.rows_read = frame.height
        typed = checks.validate(frame, context, errors)
        if errors.count:
            return _failed(parsed, errors)
        parsed.frame = with_keys(
            typed, KeyJob(typed.get_column("student_id"), namespace=KEY_NAMESPACE)
        )
        return parsed


def _failed(parsed: ParsedResults, errors: ErrorCollector) -> ParsedResults:
    parsed.errors, parsed.error_count = errors.sorted(), errors.count
    return parsed


def _procedure(options: ImportOptions, context: ReferenceContext, errors: ErrorCollector) -> str:
    """ВПР unless `--procedure` names another procedure that yields marks (e.g. РДР)."""
    if not options.procedure:
        return "vpr"
    code = context.procedure_names.get(normalize_text(options.procedure))
    if code is None or context.procedure_kinds.get(code) != "mark":
        errors.file_error(
            f"Процедура «{options.procedure}» не подходит для формы ВПР: ожидается ВПР или РДР."
        )
        return "vpr"
    return code


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


def _facts(
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
