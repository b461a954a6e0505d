"""Pseudonymisation of a checked frame: source identifiers out, keyed hashes in.

The HMAC is computed once per distinct identifier and joined back, so a file with five results
per student hashes each student once.
"""

import polars as pl

from opora.assessment.importers.base import RESULT_COLUMNS
from opora.assessment.pseudonym import Pseudonymiser


def with_keys(typed: pl.DataFrame, *, namespace: str = "") -> pl.DataFrame:
    """`typed` (with `student_id`) in `RESULT_COLUMNS` plus `__sheet`/`__row`, ids replaced."""
    pseudonymiser = Pseudonymiser()
    ids = typed.get_column("student_id").unique()
    keys = pl.DataFrame(
        {"student_id": ids, "student_key": pseudonymiser.keys(ids.to_list(), namespace=namespace)},
        schema={"student_id": pl.String, "student_key": pl.String},
    )
    joined = typed.join(keys, on="student_id", how="left", maintain_order="left")
    return joined.select(
        *(pl.col(name).cast(dtype) for name, dtype in RESULT_COLUMNS.items()), "__sheet", "__row"
    )
