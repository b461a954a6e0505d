"""Cell parsers of the result checks: text in, typed values out, bad cells recorded.

Each takes the text frame and the `ErrorCollector`; the common case (every cell plain) takes a
fast path without regular expressions.
"""

from collections.abc import Callable

import polars as pl

from opora.assessment.importers.base import ErrorCollector
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


def casefold(value: str) -> str:
    return value.strip().casefold().replace("ё", "е")


def words(value: str) -> str:
    """`normalize_text`, keeping a lone sign such as «+» or «-»."""
    return normalize_text(value) or value.strip()


def whole_numbers(frame: pl.DataFrame, column: str, errors: ErrorCollector, what: str) -> pl.Series:
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


def check_range(
    frame: pl.DataFrame, errors: ErrorCollector, column: str, low: int, high: int, message: str
) -> None:
    value = pl.col(f"_{column}")
    errors.check(frame, value.is_not_null() & ((value < low) | (value > high)), column, message)


def school_years(frame: pl.DataFrame, errors: ErrorCollector) -> pl.Series:
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


def task_lists(frame: pl.DataFrame, errors: ErrorCollector) -> tuple[pl.Series, pl.Series]:
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
