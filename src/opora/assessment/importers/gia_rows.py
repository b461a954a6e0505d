"""РЦОИ rows to canonical text rows: procedure, grade and class, subject (name or РЦОИ code),
year and period (from a column, the exam date, the title row or an option), and the student
key, hashed here from the document (or participant code) so no identifier goes further.
"""

import polars as pl

from opora.assessment.importers.base import ErrorCollector, ImportOptions, ReferenceContext
from opora.assessment.importers.frames import FrameRead
from opora.assessment.importers.gia_columns import rcoi_subject_codes
from opora.assessment.importers.workbook import parse_class
from opora.assessment.pseudonym import Pseudonymiser
from opora.core.importing.headers import normalize_text

GVE = "гвэ"
GVE_CODE = "gve"  # ГВЭ without 9 or 11: decided by the grade
DEFAULT_GRADE = {"oge": 9, "gve9": 9, "interview": 9, "ege": 11, "ege_base": 11, "gve11": 11}
CODE_FAMILY = {"ege": "ege", "ege_base": "ege", "oge": "oge"}
_DATE = (
    (r"^(\d{1,2})\.(\d{1,2})\.(\d{4})", 3, 2),
    (r"^(\d{4})[.\-](\d{1,2})[.\-](\d{1,2})", 1, 2),
)


def _date_part(text: pl.Expr, part: str) -> pl.Expr:
    """The year or month of a date written дд.мм.гггг, гггг.мм.дд or гггг-мм-дд[…]."""
    return pl.coalesce(
        text.str.extract(pattern, year if part == "year" else month).cast(pl.Int64, strict=False)
        for pattern, year, month in _DATE
    )


def _classes(frame: pl.DataFrame) -> dict[str, tuple[int, str] | None]:
    return {t: parse_class(t) for t in frame.get_column("class").drop_nulls().unique().to_list()}


def _student_keys(frame: pl.DataFrame) -> pl.Series:
    """Keyed hashes of «документ:<серия+номер>», or of the participant code without one."""
    document = (
        pl.coalesce(
            pl.col("document"),
            pl.concat_str(pl.col("doc_series"), pl.col("doc_number"), ignore_nulls=True),
        )
        .str.to_uppercase()
        .str.replace_all(r"[^0-9A-ZА-ЯЁ]", "")
    )
    ids = frame.select(
        pl.when(document != "")
        .then(pl.concat_str(pl.lit("документ:"), document))
        .otherwise(pl.col("student_code"))
        .alias("id")
    ).get_column("id")
    pseudonymiser = Pseudonymiser()
    uniques = ids.drop_nulls().unique().to_list()
    table = dict(zip(uniques, pseudonymiser.keys(uniques), strict=True))
    return ids.replace_strict(table, default=None, return_dtype=pl.String)


def procedure_code(text: str, context: ReferenceContext) -> str | None:
    """A procedure name or code → its code; «ГВЭ» alone → `gve` (ГВЭ-9 or -11 by grade)."""
    key = normalize_text(text)
    return GVE_CODE if key == GVE else context.procedure_names.get(key)


def canonical_rows(
    frame: pl.DataFrame,
    read: FrameRead,
    context: ReferenceContext,
    options: ImportOptions,
    title: tuple[str, str],
    errors: ErrorCollector,
) -> tuple[pl.DataFrame, dict[str, str], dict[str, str]]:
    """The canonical text frame and where each of its fields sits in the file.

    `title` is (subject, date) from the title row; `options.procedure` is known to be valid.
    """
    title_subject, title_date = title
    option = procedure_code(options.procedure, context) if options.procedure else None
    raw = frame.get_column("procedure").drop_nulls().unique().to_list()
    found = {text: procedure_code(text, context) for text in raw}
    frame = frame.with_columns(
        pl.when(pl.col("procedure").is_not_null())
        .then(pl.col("procedure").replace_strict(found, default=None, return_dtype=pl.String))
        .otherwise(pl.lit(option, pl.String))
        .alias("_procedure")
    )
    classes = _classes(frame)
    class_grade = pl.col("class").replace_strict(
        {t: (c[0] if c else None) for t, c in classes.items()}, default=None, return_dtype=pl.Int64
    )
    errors.check(
        frame,
        pl.col("class").is_not_null() & class_grade.is_null(),
        "class",
        "ожидается класс: 9, 9А или 11Б",
    )
    default = pl.col("_procedure").replace_strict(
        DEFAULT_GRADE, default=None, return_dtype=pl.Int64
    )
    frame = frame.with_columns(
        pl.coalesce(pl.col("grade"), class_grade.cast(pl.String), default.cast(pl.String)).alias(
            "_grade"
        )
    )
    by_grade = (
        pl.when(pl.col("_grade").cast(pl.Int64, strict=False) <= 10)
        .then(pl.lit("gve9"))
        .otherwise(pl.lit("gve11"))
    )
    frame = frame.with_columns(
        pl.when(pl.col("_procedure") == GVE_CODE)
        .then(by_grade)
        .otherwise(pl.col("_procedure"))
        .alias("_procedure")
    )
    frame = frame.with_columns(_subject(frame, title_subject, errors).alias("_subject"))
    errors.check(
        frame,
        pl.col("exam_date").is_not_null() & _date_part(pl.col("exam_date"), "year").is_null(),
        "exam_date",
        "ожидается дата экзамена: дд.мм.гггг",
    )
    date = pl.coalesce(pl.col("exam_date"), pl.lit(title_date or None, pl.String))
    option_year = str(options.year) if options.year is not None else None
    year = pl.coalesce(
        pl.col("year"), _date_part(date, "year").cast(pl.String), pl.lit(option_year, pl.String)
    )
    period = pl.coalesce(
        pl.col("period"), pl.when(_date_part(date, "month") == 9).then(pl.lit("осенний"))
    )
    labels = {t: (c[1] if c else None) for t, c in classes.items()}
    rows = frame.select(
        _schools(frame, context).alias("school_code"),
        pl.coalesce(pl.col("_procedure"), pl.col("procedure")).alias("procedure"),
        pl.col("_subject").alias("subject"),
        year.alias("year"),
        period.alias("period"),
        pl.col("_grade").alias("grade"),
        pl.col("class")
        .replace_strict(labels, default=None, return_dtype=pl.String)
        .alias("class_label"),
        _student_keys(frame).alias("student_id"),
        "primary_score",
        "mark",
        "test_score",
        pl.lit(None, pl.String).alias("passed"),
        pl.lit(None, pl.String).alias("task_scores"),
        "journal_mark_term",
        "journal_mark_year",
        "medal",
        pl.lit(None, pl.String).alias("controlled"),
        "__sheet",
        "__row",
    )
    return rows, *_where(read)


def _schools(frame: pl.DataFrame, context: ReferenceContext) -> pl.Expr:
    """Registry codes as given, or the registry code of a school named by its ФИС ОКО login."""
    codes = {pk: code for code, pk in context.school_ids.items()}
    table = {}
    for raw in frame.get_column("school_code").drop_nulls().unique().to_list():
        if raw not in context.school_ids and raw.strip().casefold() in context.school_logins:
            table[raw] = codes[context.school_logins[raw.strip().casefold()]]
    return pl.col("school_code").replace(table) if table else pl.col("school_code")


def _subject(frame: pl.DataFrame, title_subject: str, errors: ErrorCollector) -> pl.Expr:
    """Names pass through for `validate`; РЦОИ numeric codes become subject codes."""
    codes = rcoi_subject_codes()
    table = {f"{f}:{n}": subject for f, mapping in codes.items() for n, subject in mapping.items()}
    family = pl.col("_procedure").replace_strict(CODE_FAMILY, default=None, return_dtype=pl.String)
    given = pl.lit(title_subject or None, pl.String)
    text = pl.coalesce(pl.col("subject"), given).str.strip_chars()
    numeric = text.str.contains(r"^\d{1,3}$")
    mapped = pl.concat_str(family, pl.lit(":"), text.str.strip_chars_start("0")).replace_strict(
        table, default=None, return_dtype=pl.String
    )
    unknown = numeric & mapped.is_null()
    message = (
        "неизвестный код предмета РЦОИ для этой процедуры (таблица кодов — rcoi_subject_codes "
        "в справочнике); укажите название предмета"
    )
    if frame.select((pl.col("subject").is_null() & unknown).fill_null(False).any()).item():
        errors.file_error(f"Строка-заголовок, предмет «{title_subject}»: {message}.")
    # An unknown code stays as written: `validate` reports it as an unknown subject.
    return pl.when(numeric & mapped.is_not_null()).then(mapped).otherwise(text)


def _where(read: FrameRead) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical field → the letter and header of the file column it comes from."""
    sources = {
        "school_code": ["school_code"],
        "procedure": ["procedure"],
        "subject": ["subject"],
        "year": ["year", "exam_date"],
        "period": ["period"],
        "grade": ["grade", "class"],
        "class_label": ["class"],
        "student_id": ["document", "doc_number", "student_code"],
        "primary_score": ["primary_score"],
        "mark": ["mark"],
        "test_score": ["test_score"],
        "task_scores": ["long_tasks", "short_tasks", "oral_tasks"],
        "journal_mark_term": ["journal_mark_term"],
        "journal_mark_year": ["journal_mark_year"],
        "medal": ["medal"],
    }
    letters: dict[str, str] = dict(read.letters)
    headers: dict[str, str] = dict(read.headers)
    for field_name, keys in sources.items():
        key = next((k for k in keys if k in read.letters), None)
        if key is not None:
            letters[field_name], headers[field_name] = read.letters[key], read.headers[key]
    return letters, headers
