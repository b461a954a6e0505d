"""Vectorised random draws in Polars, keyed by what is drawn rather than by row order.

Every random number is Polars' 64-bit hash of an integer key that names what is drawn (the
student, year and test) under a seed derived from the demo seed and the purpose. The same key
and seed give the same number whatever the order of rows. Polars guarantees the hash only
within one Polars version, which the lock files pin.
"""

import math

import polars as pl

_SCALE = 2.0**-64
_SEED_MASK = (1 << 62) - 1


def uniform(key: pl.Expr, salt: int) -> pl.Expr:
    """A uniform number in [0, 1) for each `key` under `salt`."""
    value = key.hash(salt & _SEED_MASK).cast(pl.Float64) * _SCALE
    return value.clip(0.0, 1.0 - 2.0**-53)


def normal(key: pl.Expr, salt: int) -> pl.Expr:
    """A standard normal number for each `key` under `salt` (Box–Muller)."""
    u1 = (1.0 - uniform(key, salt)).clip(2.0**-60, 1.0)
    u2 = uniform(key, salt ^ 0x5DEECE66D)
    return (-2.0 * u1.log()).sqrt() * (2.0 * math.pi * u2).cos()
