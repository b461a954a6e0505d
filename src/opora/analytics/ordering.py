"""Sorting large frames by keys that identify their rows, fast.

`frame.sort(keys)` on millions of rows with string keys compares encoded rows; when the keys
identify the rows (no duplicates), the same order comes from one unsigned integer per row:
each key's rank among its distinct values (strings in Polars' own order, nulls last) packed
into 63 bits. A frame already in that order is returned as it is (one pass to check).
Anything else (floats, too many distinct values to pack) falls back to `frame.sort`.
"""

from __future__ import annotations

import polars as pl

# Below this many rows a plain sort is as fast as building the packed key.
SMALL = 10_000


def _code(column: pl.Series, descending: bool) -> tuple[pl.Expr, int] | None:
    """An expression giving the rank of each value (nulls last) and the number of ranks."""
    dtype = column.dtype
    nulls = column.null_count() > 0
    if dtype.is_integer():
        low, high = column.min(), column.max()
        if low is None or high is None:
            return pl.lit(0, pl.UInt64), 1
        size = int(high) - int(low) + 1 + int(nulls)  # type: ignore[arg-type]
        value = pl.col(column.name).cast(pl.Int64)
        offset = int(high) - value if descending else value - int(low)  # type: ignore[arg-type]
        code = offset.cast(pl.UInt64)
    elif dtype == pl.String or dtype == pl.Boolean:
        values = column.drop_nulls().unique().sort()
        size = values.len() + int(nulls)
        ranks = pl.int_range(values.len(), dtype=pl.UInt64, eager=True)
        if descending:
            ranks = ranks.reverse()
        code = pl.col(column.name).replace_strict(values, ranks, default=None)
    else:
        return None
    return code.fill_null(size - 1), size


def sort_rows(
    frame: pl.DataFrame, keys: list[str], descending: list[bool] | None = None
) -> pl.DataFrame:
    """`frame.sort(keys, descending=..., nulls_last=True)` for keys without duplicate
    combinations."""
    desc = descending or [False] * len(keys)

    def fallback() -> pl.DataFrame:
        return frame.sort(keys, descending=desc, nulls_last=True)

    if frame.height < SMALL:
        return fallback()
    parts: list[tuple[pl.Expr, int]] = []
    for name, down in zip(keys, desc, strict=True):
        coded = _code(frame.get_column(name), down)
        if coded is None:
            return fallback()
        parts.append(coded)
    bits = [max(1, (size - 1).bit_length()) for _, size in parts]
    if sum(bits) > 63:
        return fallback()
    packed = pl.lit(0, pl.UInt64)
    for (code, _), width in zip(parts, bits, strict=True):
        packed = packed * (1 << width) + code
    key = frame.select(packed.alias("_key")).get_column("_key")
    if key.is_sorted():
        return frame
    return frame.with_columns(key).sort("_key").drop("_key")
