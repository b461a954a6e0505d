"""ГИА results per student (ОГЭ, ЕГЭ, ГВЭ) as a regional processing centre (РЦОИ) exports them.

A flat table, one row per participant and exam; a title row above it may name the subject and
the date («22 - Математика базовая 2022.06.27»). Personal columns are dropped on reading; the
document series and number are hashed into the student key first. The rows then become
canonical text rows that `checks.validate` checks like any other file.
"""

import hashlib
import re

import polars as pl

from opora.assessment.importers import checks
from opora.assessment.importers.base import (
    RESULT_COLUMNS,
    ErrorCollector,
    ImportOptions,
    ParsedResults,
    ReferenceContext,
)
from opora.assessment.importers.frames import FrameRead, read_frame
from opora.assessment.importers.gia_columns import (
    GIA_COLUMNS,
    GIA_INDEX,
    IDENTITY_FIELDS,
    OUTSIDE_CATEGORIES,
)
from opora.assessment.importers.gia_rows import canonical_rows, procedure_code
from opora.assessment.importers.gia_tasks import task_scores

_DATE = r"(\d{4}\.\d{2}\.\d{2}|\d{2}\.\d{2}\.\d{4})"
# «01 - Русский язык 2022.06.23», «22 - Математика базовая» (a code, a date optional) or
# «Английский язык п:2022.06.14; у:2022.06.16» (no code, a date required).
_TITLE_CODE = re.compile(
    rf"^\s*(\d{{1,2}})\s*[-–—]\s*(.+?)(?:\s+(?:[а-я]+:\s*)?{_DATE}.*)?\s*$", re.I
)
_TITLE_NAME = re.compile(rf"^\s*(.+?)\s+(?:[а-я]+:\s*)?{_DATE}", re.I)


def title_of(preamble: list[list[str]]) -> tuple[str, str]:
    """(subject code or name, exam date) from a title row such as «01 - Русский язык 2022.06.23»."""
    for row in preamble:
        for cell in row:
            if match := _TITLE_CODE.match(cell or ""):
                return match.group(1), match.group(3) or ""
            if match := _TITLE_NAME.match(cell or ""):
                return match.group(1).strip(), match.group(2)
    return "", ""


class GiaFormat:
    """`opora import-results FILE --format gia [--procedure ЕГЭ]`: a РЦОИ results table."""

    code = "gia"
    name = "Результаты ГИА (ОГЭ, ЕГЭ, ГВЭ) из РЦОИ"
    description = (
        "Таблица РЦОИ: строка на участника и экзамен. «Код ОО», «Класс», «Предмет» (название "
        "или код РЦОИ; или строка-заголовок «01 - Русский язык 2024.05.30»), «Первичный балл», "
        "«Балл»/«Тестовый балл», «Отметка»/«Оценка», строки заданий, «Медаль». ФИО, дата "
        "рождения и документ не сохраняются: ключ участника — хеш серии и номера документа "
        "(или кода участника)."
    )

    def parse(
        self, data: bytes, file_name: str, context: ReferenceContext, options: ImportOptions
    ) -> ParsedResults:
        """Read and check every row; never raise on bad input."""
        sha = hashlib.sha256(data).hexdigest()
        read = read_frame(data, file_name, GIA_INDEX, "", keep=IDENTITY_FIELDS)
        parsed = ParsedResults(file_name, sha, self.code, pl.DataFrame(schema=RESULT_COLUMNS), 0)
        parsed.dropped_columns = list(read.dropped)
        for key in IDENTITY_FIELDS & set(read.headers):
            if read.headers[key] not in parsed.dropped_columns:
                parsed.dropped_columns.append(read.headers[key])
        errors = ErrorCollector(file_name, read.letters, read.headers)
        for sheet, message in read.problems:
            errors.file_error(message, sheet)
        title_subject, title_date = title_of(read.preamble)
        if not read.problems:
            _require(read, options, title_subject, title_date, errors)
        if options.procedure and procedure_code(options.procedure, context) is None:
            errors.file_error(f"Неизвестная процедура «{options.procedure}» (--procedure).")
        if errors.count:
            return _failed(parsed, errors)
        frame = _participants(read, parsed)
        if frame.is_empty():
            errors.file_error("В файле нет строк с результатами участников.", read.sheet)
            return _failed(parsed, errors)
        parsed.rows_read = frame.height
        tasks = task_scores(frame, errors)
        rows, letters, headers = canonical_rows(
            frame, read, context, options, (title_subject, title_date), errors
        )
        parsed.letters, parsed.headers = letters, headers
        errors.letters, errors.headers = letters, headers
        if errors.count:
            return _failed(parsed, errors)
        typed = checks.validate(rows, context, errors)
        if errors.count:
            return _failed(parsed, errors)
        typed = _finish(typed, tasks, context, errors)
        if errors.count:
            return _failed(parsed, errors)
        parsed.frame = typed.rename({"student_id": "student_key"}).select(
            *(pl.col(name).cast(dtype) for name, dtype in RESULT_COLUMNS.items()),
            "__sheet",
            "__row",
        )
        return parsed


def _failed(parsed: ParsedResults, errors: ErrorCollector) -> ParsedResults:
    parsed.errors, parsed.error_count = errors.sorted(), errors.count
    return parsed


def _require(
    read: FrameRead,
    options: ImportOptions,
    title_subject: str,
    title_date: str,
    errors: ErrorCollector,
) -> None:
    """File-level errors for what the table lacks and no option or title row supplies."""
    names = dict(GIA_COLUMNS)
    have = set(read.headers)

    def need(ok: bool, message: str) -> None:
        if not ok:
            errors.file_error(message, read.sheet)

    need("school_code" in have, f"Нет столбца «{names['school_code'][0]}».")
    need(
        bool({"student_code", "doc_number", "document"} & have),
        "Нет ни столбца «Код участника», ни серии и номера документа: участника не по чему "
        "опознать.",
    )
    need(
        "subject" in have or bool(title_subject),
        "Не указан предмет: нужен столбец «Предмет» или строка-заголовок «01 - Русский язык …».",
    )
    need(
        "procedure" in have or bool(options.procedure),
        "Не указана процедура: добавьте столбец «Вид экзамена» (ОГЭ, ЕГЭ, ГВЭ) или укажите "
        "--procedure.",
    )
    need(
        bool({"year", "exam_date"} & have) or bool(title_date) or options.year is not None,
        "Не указан год: нужен столбец «Год» или «Дата экзамена», дата в строке-заголовке или "
        "--year.",
    )
    need(
        bool({"primary_score", "test_score", "mark"} & have),
        "Нет ни одного столбца с результатом: «Первичный балл», «Тестовый балл» (Балл) или "
        "«Отметка».",
    )


def _participants(read: FrameRead, parsed: ParsedResults) -> pl.DataFrame:
    """Rows of participants: summary rows («Средние», «Всего участников») and participants
    from outside the schools (выпускники прошлых лет, СПО) left out, the latter counted."""
    frame = read.frame.with_columns(
        pl.lit(None, pl.String).alias(key)
        for key, _ in GIA_COLUMNS
        if key not in read.frame.columns
    )
    identity = ["school_code", "student_code", "doc_number", "document", "class"]
    summary = pl.all_horizontal(pl.col(c).is_null() for c in identity)
    frame = frame.filter(~summary)
    category = pl.col("category").str.to_lowercase()
    outside = pl.any_horizontal(
        category.str.contains(word, literal=True) for word in OUTSIDE_CATEGORIES
    )
    parsed.skipped_rows = frame.filter(outside.fill_null(False)).height
    return frame.filter(~outside.fill_null(False))


def _finish(
    typed: pl.DataFrame, tasks: pl.DataFrame, context: ReferenceContext, errors: ErrorCollector
) -> pl.DataFrame:
    """Task scores joined back; a test score only for ЕГЭ; the ЕГЭ «оценка» not kept."""
    kinds = pl.col("procedure_id").replace_strict(
        context.procedure_kinds, default=None, return_dtype=pl.String
    )
    errors.check(
        typed,
        pl.col("test_score").is_not_null() & (kinds != "score"),
        "test_score",
        "тестовый балл бывает только у ЕГЭ (кроме базовой математики): для ОГЭ, ГВЭ и "
        "базовой математики укажите отметку",
    )
    joined = typed.join(tasks, on=["__sheet", "__row"], how="left", maintain_order="left")
    errors.check(
        joined,
        pl.col("_tasks_sum") > pl.col("primary_score"),
        "task_scores",
        "сумма баллов по заданиям больше первичного балла",
    )
    return joined.with_columns(
        pl.col("_tasks").alias("task_scores"),
        pl.when(kinds == "score").then(None).otherwise(pl.col("mark")).alias("mark"),
    ).drop("_tasks", "_tasks_sum")
