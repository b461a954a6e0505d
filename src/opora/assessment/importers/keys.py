"""Pseudonymisation of a checked frame: source identifiers out, keyed hashes in.

The HMAC is computed once per distinct identifier and joined back, so a file with five results
per student hashes each student once. `KeyJob` computes the hashes in a background thread
while the checks run: the HMAC loop holds the GIL, Polars releases it.
"""

from concurrent.futures import ThreadPoolExecutor

import polars as pl

from opora.assessment.importers.base import RESULT_COLUMNS
from opora.assessment.pseudonym import Pseudonymiser


class KeyJob:
    """Keys of the distinct identifiers of `ids`, computed in the background."""

    def __init__(self, ids: pl.Series, *, namespace: str = ""):
        self.ids = ids.drop_nulls().unique()
        pseudonymiser = Pseudonymiser()  # reads the secret here, in the caller's thread
        executor = ThreadPoolExecutor(max_workers=1)
        self._future = executor.submit(pseudonymiser.keys, self.ids.to_list(), namespace=namespace)
        executor.shutdown(wait=False)  # the thread finishes the job, then ends

    def table(self) -> pl.DataFrame:
        """`student_id` → `student_key`, waiting for the thread if it is still running."""
        return pl.DataFrame(
            {"student_id": self.ids, "student_key": self._future.result()},
            schema={"student_id": pl.String, "student_key": pl.String},
        )


def with_keys(typed: pl.DataFrame, job: KeyJob) -> pl.DataFrame:
    """`typed` (with `student_id`) in `RESULT_COLUMNS` plus `__sheet`/`__row`, ids replaced."""
    joined = typed.join(job.table(), on="student_id", how="left", maintain_order="left")
    return joined.select(
        *(pl.col(name).cast(dtype) for name, dtype in RESULT_COLUMNS.items()), "__sheet", "__row"
    )
