"""The ВПР collection form as a school fills it: one workbook per school, one sheet per class.

Above each table: label cells (school, subject, class or grade, year, period, observers); the
table: participant code, task scores (a «Максимальный балл» row may follow the header), total,
mark and journal marks. Every sheet becomes canonical text rows that `checks.validate` checks
like any other file, after the form's own checks (labels, task maxima, totals).
"""

import hashlib

import polars as pl

from opora.assessment.importers import checks
from opora.assessment.importers.base import (
    RESULT_COLUMNS,
    ErrorCollector,
    ImportOptions,
    ParsedResults,
    ReferenceContext,
)
from opora.assessment.importers.keys import KeyJob, with_keys
from opora.assessment.importers.vpr_labels import LABELS, sheet_facts
from opora.assessment.importers.vpr_layout import Layout, data_rows, find_layout
from opora.assessment.importers.vpr_tasks import sheet_rows
from opora.assessment.importers.workbook import (
    Cell,
    label_cells,
    read_sheets,
)
from opora.core.importing.headers import normalize_text

KEY_NAMESPACE = "vpr"


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
            facts = sheet_facts(
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
