"""Attaching a few columns of a small table (schools) to a big frame (procedure groups).

`frame.join(table, on=key, how="inner", maintain_order="left")` moves every column of the big
frame through the join; a lookup per row adds the columns in place and is several times faster
on millions of rows, with the same result. Integer keys in a dense range (school ids) are
looked up by position (a gather); other keys by `replace_strict`.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

# A key range up to this many times the table's rows (plus a margin) is looked up by position.
DENSE = 8


def _positions(frame: pl.DataFrame, table: pl.DataFrame, key: str) -> pl.Series | None:
    """The row of `table` holding each row's key (null if none), by position in the key range;
    None when the keys are not integers in a dense enough range."""
    keys = table.get_column(key)
    if not keys.dtype.is_integer() or keys.null_count():
        return None
    low, high = keys.min(), keys.max()
    span = int(high) - int(low) + 1  # type: ignore[arg-type]
    if span > DENSE * keys.len() + 1024:
        return None
    rows = pl.Series("row", [None] * span, dtype=pl.Int64).scatter(
        keys.cast(pl.Int64) - int(low),  # type: ignore[arg-type]
        pl.int_range(keys.len(), dtype=pl.Int64, eager=True),
    )
    slot = frame.get_column(key).cast(pl.Int64) - int(low)  # type: ignore[arg-type]
    inside = ((slot >= 0) & (slot < span)).fill_null(False)
    found = rows.gather(slot.clip(0, span - 1).fill_null(0))
    return pl.select(pl.when(inside).then(found)).to_series()


def attach(
    frame: pl.DataFrame, table: pl.DataFrame, key: str, columns: Sequence[str]
) -> pl.DataFrame:
    """Rows of `frame` whose `key` is in `table` (unique keys), in their order, with `columns`
    of `table` appended: an inner join that keeps the order of `frame`."""
    if frame.is_empty() or table.is_empty():
        return frame.clear().with_columns(
            pl.lit(None, table.schema[name]).alias(name) for name in columns
        )
    positions = _positions(frame, table, key)
    if positions is not None:
        known = positions.is_not_null()
        if not known.all():
            frame, positions = frame.filter(known), positions.filter(known)
        return frame.with_columns(table.get_column(name).gather(positions) for name in columns)
    keys = table.get_column(key)
    known = frame.get_column(key).is_in(keys.implode()).fill_null(False)
    if not known.all():
        frame = frame.filter(known)
    return frame.with_columns(
        pl.col(key)
        .replace_strict(keys, table.get_column(name), return_dtype=table.schema[name])
        .alias(name)
        for name in columns
    )
