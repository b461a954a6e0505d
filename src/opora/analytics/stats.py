"""Small statistical helpers shared by the rules (Polars expressions, deterministic)."""

from __future__ import annotations

from functools import reduce

import polars as pl


def percentile_rank(column: str, over: list[str]) -> pl.Expr:
    """Percentile rank in (0, 1) within `over`, ties averaged (METHODOLOGY §1).

    Hazen plotting position (average rank − 0.5) / n (Hazen, 1914; Hyndman & Fan, 1996, type 5):
    with 10 schools the lowest gets 0,05, so `≤ 0,10` selects exactly one school.
    Null values get a null rank and do not count in n.
    """
    value = pl.col(column)
    rank = value.rank(method="average").over(over)
    count = value.count().over(over)
    return pl.when(value.is_not_null()).then((rank - 0.5) / count)


def zscore(column: str, over: list[str]) -> pl.Expr:
    """(x − mean) / sd within `over` (sample sd); null when sd is 0 or fewer than two values."""
    value = pl.col(column)
    sd = value.std(ddof=1).over(over)
    return pl.when(sd > 0).then((value - value.mean().over(over)) / sd)


def fold_sum(terms: list[pl.Expr]) -> pl.Expr:
    """Σ terms left to right, nulls as 0 (as `pl.sum_horizontal`, whose order of additions is
    not fixed: floats summed in another order differ in the last bits from run to run)."""
    if not terms:
        return pl.lit(0.0)
    return reduce(lambda a, b: a + b, [t.fill_null(0) for t in terms])
