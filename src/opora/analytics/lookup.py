"""Attaching a few columns of a small table (schools) to a big frame (procedure groups).

`frame.join(table, on=key, how="inner", maintain_order="left")` moves every column of the big
frame through the join; a lookup per row (`replace_strict` on the key) adds the columns in
place and is several times faster on millions of rows, with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def attach(
    frame: pl.DataFrame, table: pl.DataFrame, key: str, columns: Sequence[str]
) -> pl.DataFrame:
    """Rows of `frame` whose `key` is in `table` (unique keys), in their order, with `columns`
    of `table` appended: an inner join that keeps the order of `frame`."""
    if frame.is_empty() or table.is_empty():
        return frame.clear().with_columns(
            pl.lit(None, table.schema[name]).alias(name) for name in columns
        )
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
