"""Task strings of a РЦОИ protocol, parsed as Polars expressions over the whole column.

Short answers: one character per task — «+» correct (1), «−» wrong (0), a digit the score of a
multi-point task, «x» not attempted. Long (and oral) answers: score(maximum) per task, e.g.
«2(3)1(2)0(2)». The result is JSON text, e.g. «[1,0,2,2,1,0]», in the order short, long, oral.
"""

import polars as pl

from opora.assessment.importers.base import ErrorCollector

_X = r"[xXхХ]"
_SHORT = rf"^(?:[+\-−–0-9]|{_X})+$"
_PAIR = rf"(\d{{1,2}}|{_X}|[\-−–])\((\d{{1,2}})\)"
_LONG = rf"^(?:{_PAIR})+$"


def _compact(column: str) -> pl.Expr:
    return pl.col(column).str.replace_all(r"\s+", "")


def _short_scores(column: str) -> pl.Expr:
    """«+-2x» → «1,0,2,null»."""
    return (
        _compact(column)
        .str.replace_all(r"\+", "1")
        .str.replace_all(r"[\-−–]", "0")
        .str.replace_all(_X, "n")
        .str.replace_all(r"(.)", "$1,")
        .str.replace_all("n", "null", literal=True)
        .str.strip_chars_end(",")
    )


def _long_scores(column: str) -> pl.Expr:
    """«2(3)x(2)» → «2,null»."""
    return (
        _compact(column)
        .str.replace_all(_PAIR, "$1,")
        .str.replace_all(rf"{_X}|[\-−–]", "null")
        .str.strip_chars_end(",")
    )


def _over_maximum(column: str) -> pl.Expr:
    """Whether a long-answer score exceeds the maximum in its brackets."""
    pairs = _compact(column).str.extract_all(r"\d{1,2}\(\d{1,2}\)")
    return pairs.list.eval(
        pl.element().str.extract(r"^(\d+)").cast(pl.Int64)
        > pl.element().str.extract(r"\((\d+)\)$").cast(pl.Int64)
    ).list.any()


def task_scores(frame: pl.DataFrame, errors: ErrorCollector) -> pl.DataFrame:
    """`__row`, `__sheet`, task scores as JSON text and their sum; bad strings recorded."""
    parts: list[pl.Expr] = []
    for column, parse, pattern, what in (
        ("short_tasks", _short_scores, _SHORT, "«+», «-», цифры или «x» по заданию"),
        ("long_tasks", _long_scores, _LONG, "баллы с максимумом в скобках: 2(3)1(2)…"),
        ("oral_tasks", _long_scores, _LONG, "баллы с максимумом в скобках: 2(3)1(2)…"),
    ):
        text = pl.col(column)
        bad = text.is_not_null() & ~_compact(column).str.contains(pattern)
        errors.check(frame, bad, column, f"ожидается строка заданий: {what}")
        if pattern == _LONG:
            errors.check(
                frame,
                text.is_not_null() & ~bad & _over_maximum(column),
                column,
                "балл за задание больше максимального, указанного в скобках",
            )
        parts.append(pl.when(text.is_not_null() & ~bad).then(parse(column)))
    listed = pl.concat_str(parts, separator=",", ignore_nulls=True)
    result = frame.select(
        "__row",
        "__sheet",
        pl.when(listed != "").then(pl.concat_str(pl.lit("["), listed, pl.lit("]"))).alias("_tasks"),
    )
    return result.with_columns(
        pl.col("_tasks")
        .str.extract_all(r"\d+")
        .list.eval(pl.element().cast(pl.Int64))
        .list.sum()
        .alias("_tasks_sum")
    )
