"""Vectorised checks of result rows: text cells in, typed columns out, errors collected.

`validate` takes a frame of text columns named by field (see `columns.py`) with `__sheet` and
`__row`, records every bad cell in the `ErrorCollector` and returns the typed frame.
"""

import datetime as dt
from collections.abc import Callable

import polars as pl

from opora.assessment.importers.base import ErrorCollector, ReferenceContext
from opora.assessment.importers.columns import (
    CONTROLLED_WORDS,
    MEDAL_WORDS,
    PASSED_WORDS,
    PERIOD_WORDS,
)
from opora.core.importing.headers import normalize_text

_SKIPPED = r"[xXхХ\-–нН]"
_TASK = rf"(\d{{1,3}}|{_SKIPPED})"
_TASKS = rf"^{_TASK}(;{_TASK})*$"


def lookup(column: str, mapping: dict[str, str], normalise: Callable[[str], str]) -> pl.Expr:
    """Map raw text through `mapping` after `normalise`; unknown values become null."""
    return pl.col(column).map_batches(
        lambda s: _map_unique(s, mapping, normalise), return_dtype=pl.String
    )


def _map_unique(
    series: pl.Series, mapping: dict[str, str], normalise: Callable[[str], str]
) -> pl.Series:
    uniques = series.drop_nulls().unique().to_list()
    table = {raw: mapping.get(normalise(raw)) for raw in uniques}
    return series.replace_strict(table, default=None, return_dtype=pl.String)


def _casefold(value: str) -> str:
    return value.strip().casefold().replace("ё", "е")


def _words(value: str) -> str:
    """`normalize_text`, keeping a lone sign such as «+» or «-»."""
    return normalize_text(value) or value.strip()


# Procedures whose rows may say whether independent observers were present.
OBSERVED_PROCEDURES = ("vpr", "regional_diag")
MEDAL_MIN_GRADE = 10


def _integer(frame: pl.DataFrame, column: str, errors: ErrorCollector, what: str) -> pl.Series:
    """Parse whole numbers (decimal comma allowed); record cells that are not whole numbers."""
    text = pl.col(column)
    fast = frame.select(text.cast(pl.Int64, strict=False)).to_series()
    if fast.null_count() == frame.get_column(column).null_count():
        return fast  # every filled cell is a plain integer: the common case
    number = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    is_bad = text.is_not_null() & (
        number.is_null() | ~number.is_finite() | (number != number.floor())
    )
    errors.check(frame, is_bad, column, f"ожидается целое число ({what})")
    return frame.select(
        pl.when(is_bad).then(None).otherwise(number).cast(pl.Int64, strict=False)
    ).to_series()


def _range(
    frame: pl.DataFrame, errors: ErrorCollector, column: str, low: int, high: int, message: str
) -> None:
    value = pl.col(f"_{column}")
    errors.check(frame, value.is_not_null() & ((value < low) | (value > high)), column, message)


def _year(frame: pl.DataFrame, errors: ErrorCollector) -> pl.Series:
    """2024, 2023/2024, 2023-24 or 2023/24 → 2024 (the year the school year ends)."""
    fast = frame.select(pl.col("year").cast(pl.Int64, strict=False)).to_series()
    if fast.null_count() == frame.get_column("year").null_count():
        return fast  # every filled cell is a plain year: the common case
    text = pl.col("year").str.replace_all(r"\s", "")
    single = text.str.extract(r"^(\d{4})(?:\.0+)?$").cast(pl.Int64, strict=False)
    span = text.str.extract(r"^(\d{4})[-/–](?:\d{2}|\d{4})$").cast(pl.Int64, strict=False) + 1
    year = pl.coalesce(single, span)
    errors.check(
        frame,
        pl.col("year").is_not_null() & year.is_null(),
        "year",
        "ожидается год: 2024 или 2023/2024",
    )
    return frame.select(year).to_series()


def _tasks(frame: pl.DataFrame, errors: ErrorCollector) -> tuple[pl.Series, pl.Series]:
    """Task scores as JSON text and their sum; «x»/«-» means a task not attempted.

    The common file — whole scores separated by «;» — takes the fast path (literal replaces);
    other separators, skip marks and leading zeros take the regular-expression path.
    """
    raw = pl.col("task_scores")
    irregular = frame.select(raw.str.contains(r"^[0-9]{1,3}(?:;[0-9]{1,3})*$").not_().any()).item()
    text = raw
    if irregular:  # some cell is not «d;d;d»: normalise separators
        text = raw.str.replace_all(r"[;,\s]+", ";").str.strip_chars(";")
    is_bad = ~text.str.contains(_TASKS)
    errors.check(
        frame,
        raw.is_not_null() & is_bad,
        "task_scores",
        "ожидаются целые баллы по заданиям через «;» («x» — задание не выполнялось)",
    )
    numbers = text.str.split(";").list.eval(pl.element().cast(pl.Int64, strict=False)).list.sum()
    listed = text.str.replace_all(";", ",", literal=True)
    if irregular or frame.select(raw.str.contains(r"(?:^|;)0\d").any()).item():
        listed = (
            text.str.replace_all(_SKIPPED, "null")
            .str.replace_all(r"\b0+(\d)", "$1")
            .str.replace_all(";", ",", literal=True)
        )
    json = pl.concat_str(pl.lit("["), listed, pl.lit("]"))
    result = frame.select(
        pl.when(is_bad).then(None).otherwise(json).alias("json"),
        pl.when(is_bad).then(None).otherwise(numbers).alias("sum"),
    )
    return result.get_column("json"), result.get_column("sum")


def validate(
    frame: pl.DataFrame, context: ReferenceContext, errors: ErrorCollector
) -> pl.DataFrame:
    """Check every cell; return the typed frame (meaningful only when no error was recorded)."""
    for column, label in (
        ("school_code", "код школы"),
        ("procedure", "процедура"),
        ("subject", "предмет"),
        ("year", "год"),
        ("grade", "параллель"),
        ("student_id", "код участника"),
    ):
        errors.check(frame, pl.col(column).is_null(), column, f"не заполнено: {label}")
    frame = frame.with_columns(
        pl.col("school_code")
        .replace_strict(context.school_ids, default=None, return_dtype=pl.Int64)
        .alias("_school"),
        lookup("procedure", context.procedure_names, normalize_text).alias("_procedure"),
        lookup("subject", context.subject_names, normalize_text).alias("_subject"),
        lookup("period", PERIOD_WORDS, normalize_text).alias("_period"),
        lookup("passed", {k: str(v) for k, v in PASSED_WORDS.items()}, _casefold).alias("_passed"),
        lookup("medal", {**MEDAL_WORDS, "-": "", "—": ""}, _words).alias("_medal"),
        lookup("controlled", {k: str(v) for k, v in CONTROLLED_WORDS.items()}, _words).alias(
            "_controlled"
        ),
    )
    known = pl.col("school_code").is_not_null() & pl.col("_school").is_null()
    errors.check(frame, known, "school_code", "школы с таким кодом нет в реестре")
    for column, message in (
        ("procedure", "неизвестная процедура (ВПР, ОГЭ, ЕГЭ, ЕГЭ (база), ГВЭ-9, ГВЭ-11, …)"),
        ("subject", "неизвестный предмет"),
        ("period", "неизвестный период: ожидается основной, дополнительный или осенний"),
        ("passed", "ожидается «зачёт» или «незачёт»"),
        ("medal", "ожидается «золотая» (I степени), «серебряная» (II степени) или пусто"),
        ("controlled", "ожидается «да» (наблюдатели были, объективность обеспечена) или «нет»"),
    ):
        unknown = pl.col(column).is_not_null() & pl.col(f"_{column}").is_null()
        errors.check(frame, unknown, column, message)
    frame = frame.with_columns(
        _integer(frame, "grade", errors, "параллель").alias("_grade"),
        _integer(frame, "primary_score", errors, "первичный балл").alias("_primary_score"),
        _integer(frame, "mark", errors, "отметка").alias("_mark"),
        _integer(frame, "test_score", errors, "тестовый балл").alias("_test_score"),
        _integer(frame, "journal_mark_term", errors, "отметка").alias("_journal_mark_term"),
        _integer(frame, "journal_mark_year", errors, "отметка").alias("_journal_mark_year"),
        _year(frame, errors).alias("_year"),
    )
    max_year = min(context.max_year, dt.date.today().year + 1)
    _range(
        frame,
        errors,
        "year",
        context.min_year,
        max_year,
        f"год вне допустимого диапазона {context.min_year}–{max_year}",
    )
    _range(frame, errors, "grade", 1, 12, "ожидается параллель от 1 до 12")
    _range(frame, errors, "mark", 2, 5, "ожидается отметка от 2 до 5")
    _range(frame, errors, "test_score", 0, 100, "ожидается тестовый балл от 0 до 100")
    _range(frame, errors, "journal_mark_term", 2, 5, "ожидается отметка от 2 до 5")
    _range(frame, errors, "journal_mark_year", 2, 5, "ожидается отметка от 2 до 5")
    errors.check(
        frame,
        pl.col("class_label").str.len_chars() > 10,
        "class_label",
        "обозначение класса длиннее 10 знаков",
    )
    tasks_json, tasks_sum = _tasks(frame, errors)
    frame = frame.with_columns(tasks_json.alias("_task_scores"), tasks_sum.alias("_tasks_sum"))
    return _procedure_checks(_normalise_maths(frame), context, errors)


def _normalise_maths(frame: pl.DataFrame) -> pl.DataFrame:
    """ЕГЭ by subject: базовая математика is procedure `ege_base`, plain «математика» is profile."""
    proc, subj = pl.col("_procedure"), pl.col("_subject")
    return frame.with_columns(
        pl.when((proc == "ege") & (subj == "math_base"))
        .then(pl.lit("ege_base"))
        .otherwise(proc)
        .alias("_procedure"),
        pl.when((proc == "ege_base") & (subj == "math"))
        .then(pl.lit("math_base"))
        .when((proc == "ege") & (subj == "math"))
        .then(pl.lit("math_profile"))
        .otherwise(subj)
        .alias("_subject"),
    )


def _procedure_checks(
    frame: pl.DataFrame, context: ReferenceContext, errors: ErrorCollector
) -> pl.DataFrame:
    """Grade allowed, result present, score within the maximum; marks derived by the scale."""
    allowed = pl.DataFrame(
        [(code, grade) for code, grades in context.procedure_grades.items() for grade in grades],
        schema={"_procedure": pl.String, "_grade": pl.Int64},
        orient="row",
    ).with_columns(pl.lit(True).alias("_grade_ok"))
    kinds = pl.DataFrame(
        {
            "_procedure": list(context.procedure_kinds),
            "_kind": list(context.procedure_kinds.values()),
        },
        schema={"_procedure": pl.String, "_kind": pl.String},
    )
    # The lookups join a slim frame of the keys only, then sit beside the wide one.
    looked = (
        frame.select("_procedure", "_grade", "_year", "_subject")
        .join(allowed, on=["_procedure", "_grade"], how="left", maintain_order="left")
        .join(kinds, on="_procedure", how="left", maintain_order="left")
        .join(
            context.values,
            left_on=["_year", "_procedure", "_subject"],
            right_on=["year", "procedure_id", "subject_id"],
            how="left",
            maintain_order="left",
        )
    )
    frame = frame.hstack(looked.drop("_procedure", "_grade", "_year", "_subject"))
    errors.check(
        frame,
        pl.col("_procedure").is_not_null()
        & pl.col("_grade").is_not_null()
        & pl.col("_grade_ok").is_null(),
        "grade",
        "параллель не допускается для процедуры",
    )
    limit = pl.coalesce(pl.col("max_primary_score"), pl.lit(999))
    errors.check(
        frame,
        pl.col("_primary_score") < 0,
        "primary_score",
        "первичный балл не может быть отрицательным",
    )
    over = frame.filter(pl.col("_primary_score") > limit).with_columns(
        pl.format(
            "первичный балл больше максимального для процедуры, предмета и года ({})", limit
        ).alias("_message")
    )
    errors.check(over, pl.lit(True), "primary_score", message_column="_message")
    errors.check(
        frame,
        pl.col("_tasks_sum").is_not_null()
        & pl.col("_primary_score").is_not_null()
        & (pl.col("_tasks_sum") != pl.col("_primary_score")),
        "task_scores",
        "сумма баллов по заданиям не равна первичному баллу",
    )
    p = pl.col("_primary_score")
    derived = (
        pl.lit(2)
        + (p >= pl.col("scale_3")).cast(pl.Int64)
        + (p >= pl.col("scale_4")).cast(pl.Int64)
        + (p >= pl.col("scale_5")).cast(pl.Int64)
    )
    frame = frame.with_columns(
        pl.when(pl.col("_mark").is_null() & (pl.col("_kind") == "mark"))
        .then(derived)
        .otherwise(pl.col("_mark"))
        .alias("_mark")
    )
    kind = pl.col("_kind")
    errors.check(
        frame,
        (kind == "mark") & pl.col("_mark").is_null() & p.is_null(),
        "mark",
        "нет результата: укажите отметку или первичный балл",
    )
    errors.check(
        frame,
        (kind == "score") & pl.col("_test_score").is_null(),
        "test_score",
        "нет тестового балла (обязателен для ЕГЭ)",
    )
    errors.check(
        frame,
        (kind == "pass_fail") & pl.col("_passed").is_null(),
        "passed",
        "нет результата: укажите «зачёт» или «незачёт»",
    )
    errors.check(
        frame,
        (pl.col("_medal").fill_null("") != "") & (pl.col("_grade") < MEDAL_MIN_GRADE),
        "medal",
        "медаль «За особые успехи в учении» бывает только у выпускников 11 (12) класса",
    )
    errors.check(
        frame,
        pl.col("_controlled").is_not_null()
        & pl.col("_procedure").is_not_null()
        & ~pl.col("_procedure").is_in(OBSERVED_PROCEDURES),
        "controlled",
        "отметка о наблюдении указывается только для ВПР и региональных диагностических работ",
    )
    typed = frame.select(
        pl.col("student_id"),
        pl.col("_school").alias("school_id"),
        pl.col("_grade").alias("grade"),
        pl.col("class_label").fill_null(""),
        pl.col("_procedure").alias("procedure_id"),
        pl.col("_subject").alias("subject_id"),
        pl.col("_year").alias("year"),
        pl.col("_period").fill_null("main").alias("period"),
        pl.col("_primary_score").alias("primary_score"),
        pl.col("_mark").alias("mark"),
        pl.col("_test_score").alias("test_score"),
        (pl.col("_passed") == "True").alias("passed"),
        pl.col("_task_scores").alias("task_scores"),
        pl.col("_journal_mark_term").alias("journal_mark_term"),
        pl.col("_journal_mark_year").alias("journal_mark_year"),
        pl.col("_medal").fill_null("").alias("medal"),
        pl.col("_controlled")
        .replace_strict({"True": True, "False": False}, default=None, return_dtype=pl.Boolean)
        .alias("controlled"),
        "__sheet",
        "__row",
    )
    _duplicates(typed, errors)
    return typed


def _duplicates(typed: pl.DataFrame, errors: ErrorCollector) -> None:
    """One result per student, procedure, subject, year and period (across sheets too)."""
    key = ["student_id", "procedure_id", "subject_id", "year", "period"]
    if not typed.select(key).is_duplicated().any():
        return
    numbered = typed.with_row_index("_i")
    first = numbered.group_by(key).agg(
        pl.col("_i").min().alias("_first"),
        pl.col("__row").sort_by("_i").first().alias("_first_row"),
        pl.col("__sheet").sort_by("_i").first().alias("_first_sheet"),
    )
    dup = numbered.join(first, on=key, how="left", maintain_order="left")
    dup = dup.filter(pl.col("_i") != pl.col("_first")).with_columns(
        pl.when(pl.col("_first_sheet") == pl.col("__sheet"))
        .then(pl.format("впервые в строке {}", pl.col("_first_row")))
        .otherwise(pl.format("впервые на листе «{}», строка {}", "_first_sheet", "_first_row"))
        .alias("_first_at")
    )
    dup = dup.with_columns(
        pl.format(
            "повторный результат участника по той же процедуре, предмету, году и периоду ({})",
            pl.col("_first_at"),
        ).alias("_message")
    )
    errors.check(dup, pl.lit(True), "student_id", message_column="_message")
