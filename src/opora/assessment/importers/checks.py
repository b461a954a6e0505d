"""Vectorised checks of result rows: text cells in, typed columns out, errors collected.

`validate` takes a frame of text columns named by field (see `columns.py`) with `__sheet` and
`__row`, records every bad cell in the `ErrorCollector` and returns the typed frame.
"""

import datetime as dt

import polars as pl

from opora.assessment.importers.base import ErrorCollector, ReferenceContext
from opora.assessment.importers.cells import (
    casefold,
    check_range,
    lookup,
    school_years,
    task_lists,
    whole_numbers,
    words,
)
from opora.assessment.importers.columns import (
    CONTROLLED_WORDS,
    MEDAL_WORDS,
    PASSED_WORDS,
    PERIOD_WORDS,
)
from opora.core.importing.headers import normalize_text

# Procedures whose rows may say whether independent observers were present.
OBSERVED_PROCEDURES = ("vpr", "regional_diag")
MEDAL_MIN_GRADE = 10


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
        lookup("passed", {k: str(v) for k, v in PASSED_WORDS.items()}, casefold).alias("_passed"),
        lookup("medal", {**MEDAL_WORDS, "-": "", "—": ""}, words).alias("_medal"),
        lookup("controlled", {k: str(v) for k, v in CONTROLLED_WORDS.items()}, words).alias(
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
        whole_numbers(frame, "grade", errors, "параллель").alias("_grade"),
        whole_numbers(frame, "primary_score", errors, "первичный балл").alias("_primary_score"),
        whole_numbers(frame, "mark", errors, "отметка").alias("_mark"),
        whole_numbers(frame, "test_score", errors, "тестовый балл").alias("_test_score"),
        whole_numbers(frame, "journal_mark_term", errors, "отметка").alias("_journal_mark_term"),
        whole_numbers(frame, "journal_mark_year", errors, "отметка").alias("_journal_mark_year"),
        school_years(frame, errors).alias("_year"),
    )
    max_year = min(context.max_year, dt.date.today().year + 1)
    check_range(
        frame,
        errors,
        "year",
        context.min_year,
        max_year,
        f"год вне допустимого диапазона {context.min_year}–{max_year}",
    )
    check_range(frame, errors, "grade", 1, 12, "ожидается параллель от 1 до 12")
    check_range(frame, errors, "mark", 2, 5, "ожидается отметка от 2 до 5")
    check_range(frame, errors, "test_score", 0, 100, "ожидается тестовый балл от 0 до 100")
    check_range(frame, errors, "journal_mark_term", 2, 5, "ожидается отметка от 2 до 5")
    check_range(frame, errors, "journal_mark_year", 2, 5, "ожидается отметка от 2 до 5")
    errors.check(
        frame,
        pl.col("class_label").str.len_chars() > 10,
        "class_label",
        "обозначение класса длиннее 10 знаков",
    )
    tasks_json, tasks_sum = task_lists(frame, errors)
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
