"""Sorting large frames by keys that identify their rows, fast.

`frame.sort(keys)` on millions of rows with string keys compares encoded rows; when the keys
identify the rows (no duplicates), the same order comes from one unsigned integer per row:
each key's rank among its distinct values (strings in Polars' own order, nulls last) packed
into 63 bits. A frame already in that order is returned as it is (one pass to check).
Anything else (floats, too many distinct values to pack) falls back to `frame.sort`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    elif dtype == pl.String:
        # The rank among the sorted distinct values: the physical code of an Enum of them.
        values = column.drop_nulls().unique().sort()
        size = values.len() + int(nulls)
        code = pl.col(column.name).cast(pl.Enum(values)).to_physical().cast(pl.UInt64)
        if descending:
            code = values.len() - 1 - code
    elif dtype == pl.Boolean:
        size = 2 + int(nulls)
        code = pl.col(column.name).cast(pl.UInt64)
        if descending:
            code = 1 - code
    else:
        return None
    return code.fill_null(size - 1), size


def packed_keys(
    frame: pl.DataFrame,
    keysets: Sequence[Sequence[str]],
    descending: Sequence[Sequence[bool]] | None = None,
) -> list[pl.Series | None]:
    """For each set of keys, one UInt64 per row ordered as the rows by those keys (`descending`
    per key, nulls last): equal keys, equal values. None for a set with other dtypes (floats)
    or too wide for 63 bits. Each column's code is computed once for all the sets."""
    desc = descending or [[False] * len(keys) for keys in keysets]
    exprs: list[pl.Expr] = []
    places: list[int | None] = []
    for i, (keys, downs) in enumerate(zip(keysets, desc, strict=True)):
        parts: list[tuple[pl.Expr, int]] = []
        for name, down in zip(keys, downs, strict=True):
            coded = _code(frame.get_column(name), down)
            if coded is None:
                break
            parts.append(coded)
        bits = [max(1, (size - 1).bit_length()) for _, size in parts]
        if len(parts) < len(keys) or sum(bits) > 63:
            places.append(None)
            continue
        packed = pl.lit(0, pl.UInt64)
        for (code, _), width in zip(parts, bits, strict=True):
            packed = packed * (1 << width) + code
        places.append(len(exprs))
        exprs.append(packed.alias(f"_key{i}"))
    # One select: the optimiser computes a code shared by several sets once.
    computed = frame.lazy().select(exprs).collect() if exprs else pl.DataFrame()
    return [None if place is None else computed.to_series(place) for place in places]


def packed_key(
    frame: pl.DataFrame, keys: Sequence[str], descending: Sequence[bool] | None = None
) -> pl.Series | None:
    """`packed_keys` of one set of keys."""
    return packed_keys(frame, [keys], None if descending is None else [descending])[0]


def group_keys(frame: pl.DataFrame, keysets: Sequence[Sequence[str]]) -> list[pl.Series]:
    """For each set of keys, one integer per row, equal exactly for equal keys: a window `over`
    one integer column is several times faster than over several columns (strings among
    them)."""
    return [
        key
        if key is not None
        else frame.select(pl.struct(keys).rank("dense").cast(pl.UInt64).alias("_key"))["_key"]
        for keys, key in zip(keysets, packed_keys(frame, keysets), strict=True)
    ]


def group_key(frame: pl.DataFrame, keys: Sequence[str]) -> pl.Series:
    """`group_keys` of one set of keys."""
    return group_keys(frame, [keys])[0]


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
    key = packed_key(frame, keys, desc)
    if key is None:
        return fallback()
    if key.is_sorted():
        return frame
    return frame.with_columns(key.alias("_key")).sort("_key").drop("_key")


@dataclass(frozen=True)
class Packing:
    """Key columns packed into one Int64, in the order of `columns`: an integer as its offset
    from `lows`, a string as its index among its sorted `values`; a row with a string not
    listed gets a null key. Order-preserving, so the packed key of a group sorts as the key
    columns would; `unpack` gives the columns back.

    Grouping millions of rows by one integer is faster than by five columns (strings among
    them) in Polars' hash group-by; `plan_packing` checks that the codes fit in 63 bits."""

    columns: tuple[str, ...]
    lows: tuple[int, ...]
    sizes: tuple[int, ...]
    values: dict[str, tuple[str, ...]]
    dtypes: dict[str, pl.DataType]

    def _scales(self, names: Sequence[str]) -> list[int]:
        scales, scale = [], 1
        for name in reversed(names):
            scales.append(scale)
            scale *= self.sizes[self.columns.index(name)]
        return scales[::-1]

    def key(self, columns: Sequence[str] | None = None) -> pl.Expr:
        """The packed key of `columns` (all by default; a subset packs injectively too, and
        keeps the order when it is a leading part): Σ code × scale, one term per column."""
        names = list(self.columns if columns is None else columns)
        key: pl.Expr | None = None
        offset = 0
        for name, scale in zip(names, self._scales(names), strict=True):
            if name in self.values:
                code = pl.col(name).cast(pl.Enum(self.values[name]), strict=False)
                term = code.to_physical().cast(pl.Int64)
            else:
                term = pl.col(name).cast(pl.Int64)
                offset += self.lows[self.columns.index(name)] * scale
            term = term * scale if scale != 1 else term
            key = term if key is None else key + term
        assert key is not None
        return key - offset if offset else key

    def unpack(self, key: str) -> list[pl.Expr]:
        """The key columns of the packed (non-null) `key` column, with their dtypes."""
        out = []
        for name, scale in zip(self.columns, self._scales(self.columns), strict=True):
            size = self.sizes[self.columns.index(name)]
            code = (pl.col(key) // scale) % size
            if name in self.values:
                values = pl.Series(self.values[name], dtype=pl.String)
                value = code.replace_strict(
                    pl.int_range(values.len(), dtype=pl.Int64, eager=True),
                    values,
                    return_dtype=pl.String,
                )
            else:
                value = (code + self.lows[self.columns.index(name)]).cast(self.dtypes[name])
            out.append(value.alias(name))
        return out


def plan_packing(
    rows: pl.LazyFrame, columns: Sequence[str], values: Mapping[str, Sequence[str]]
) -> Packing | None:
    """A `Packing` of `columns` of `rows` (integer or string columns; the strings' expected
    `values`), from one pass for the integers' range; None when a key column has nulls or the
    codes need more than 63 bits."""
    schema = rows.collect_schema()
    ints = [name for name in columns if name not in values]
    if any(not schema[name].is_integer() for name in ints):
        return None
    stats = (
        rows.select(
            *(pl.col(name).min().cast(pl.Int64).alias(f"{name}_min") for name in ints),
            *(pl.col(name).max().cast(pl.Int64).alias(f"{name}_max") for name in ints),
            *(pl.col(name).null_count().alias(f"{name}_nulls") for name in ints),
        )
        .collect(engine="streaming")
        .row(0, named=True)
    )
    # (A null string is not among the values: its key is null.)
    if any(stats[f"{name}_nulls"] for name in ints):
        return None
    listed = {name: tuple(sorted(set(values[name]))) for name in values}
    lows, sizes = [], []
    for name in columns:
        if name in listed:
            lows.append(0)
            sizes.append(max(1, len(listed[name])))
        elif stats[f"{name}_min"] is None:  # no rows
            lows.append(0)
            sizes.append(1)
        else:
            lows.append(stats[f"{name}_min"])
            sizes.append(stats[f"{name}_max"] - stats[f"{name}_min"] + 1)
    if sum((size - 1).bit_length() for size in sizes) > 63:
        return None
    return Packing(
        tuple(columns),
        tuple(lows),
        tuple(sizes),
        listed,
        {name: schema[name] for name in columns},
    )
