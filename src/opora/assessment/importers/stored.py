"""Results of a parsed file that are already stored by another batch, found by the database.

On PostgreSQL, when another batch holds rows of the file's (year, procedure, subject) groups at
all, the keys of the file go to a temporary table by `COPY` and are joined with the
stored results there, so only the clashes come back (a million-row file against a full table
takes seconds, not the minutes of fetching every stored key). Elsewhere the stored keys of the
file's procedures, subjects and years are read and joined in Polars.
"""

import io

import polars as pl
from django.db import connection, transaction

from opora.assessment.importers.base import ERROR_LIMIT

KEY = ["student_key", "procedure_id", "subject_id", "year", "period"]
CLASH_SCHEMA = {"_n": pl.Int64, "batch_id": pl.Int64}


def stored_clashes(
    frame: pl.DataFrame, *, exclude_batch_ids: list[int], limit: int = ERROR_LIMIT
) -> tuple[pl.DataFrame, int]:
    """The first `limit` rows of `frame` (by position `_n`) whose key another committed batch
    already holds, with that batch, and how many rows clash in all."""
    if frame.is_empty():
        return pl.DataFrame(schema=CLASH_SCHEMA), 0
    numbered = frame.select(KEY).with_row_index("_n").with_columns(pl.col("_n").cast(pl.Int64))
    if connection.vendor != "postgresql":
        clashes = _clashes_in_polars(frame, numbered, exclude_batch_ids)
        return clashes.head(limit), clashes.height
    if not _any_stored(frame, exclude_batch_ids):
        return pl.DataFrame(schema=CLASH_SCHEMA), 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS opora_incoming_keys")
        cursor.execute(
            "CREATE TEMPORARY TABLE opora_incoming_keys (_n bigint, student_key varchar(32), "
            "procedure_id varchar(20), subject_id varchar(30), year smallint, "
            "period varchar(10)) ON COMMIT DROP"
        )
        buffer = io.BytesIO()
        numbered.write_csv(buffer, include_header=False)
        with cursor.cursor.copy("COPY opora_incoming_keys FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(buffer.getbuffer())
        cursor.execute("ANALYZE opora_incoming_keys")
        cursor.execute(
            "SELECT _n, batch_id, count(*) OVER () FROM ("
            "SELECT DISTINCT ON (i._n) i._n, r.batch_id FROM opora_incoming_keys i "
            "JOIN assessment_studentresult r ON r.year = i.year "
            "AND r.procedure_id = i.procedure_id AND r.subject_id = i.subject_id "
            "AND r.student_key = i.student_key AND r.period = i.period "
            "WHERE NOT (r.batch_id = ANY(%s::bigint[])) ORDER BY i._n, r.batch_id"
            ") clashes ORDER BY _n LIMIT %s",
            [exclude_batch_ids, limit],
        )
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE opora_incoming_keys")
    total = rows[0][2] if rows else 0
    clashes = pl.DataFrame([row[:2] for row in rows], schema=CLASH_SCHEMA, orient="row")
    return clashes, total


def _any_stored(frame: pl.DataFrame, exclude_batch_ids: list[int]) -> bool:
    """Whether any other batch holds a row of the file's (year, procedure, subject) groups: the
    first load of a year finds none by the index in milliseconds and skips the key join.

    The committed batches' summaries are asked first: a batch's rows are written with its
    summary in one transaction and leave it only with its committed state, so a batch whose
    summary shares no group with the file holds none of its rows. Only when some summary does
    (or is empty) is the table asked; that query scans the rows of excluded batches too, which
    inside the importing transaction are the million just written (≈ 0,1 s)."""
    groups = frame.select("year", "procedure_id", "subject_id").unique().rows()
    if not _summaries_overlap(set(groups), exclude_batch_ids):
        return False
    values = ", ".join(["(%s::smallint, %s, %s)"] * len(groups))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM assessment_studentresult "
            f"WHERE (year, procedure_id, subject_id) IN (VALUES {values}) "
            "AND NOT (batch_id = ANY(%s::bigint[])))",
            [*(value for group in groups for value in group), exclude_batch_ids],
        )
        return bool(cursor.fetchone()[0])


def _summaries_overlap(groups: set[tuple[int, str, str]], exclude_batch_ids: list[int]) -> bool:
    from opora.assessment.choices import BatchStatus
    from opora.assessment.models import ImportBatch

    summaries = (
        ImportBatch.objects.filter(status=BatchStatus.COMMITTED)
        .exclude(pk__in=exclude_batch_ids)
        .values_list("summary", flat=True)
    )
    for summary in summaries:
        if not summary:
            return True
        for item in summary:
            if (item["year"], item["procedure"], item["subject"]) in groups:
                return True
    return False


def _clashes_in_polars(
    frame: pl.DataFrame, numbered: pl.DataFrame, exclude_batch_ids: list[int]
) -> pl.DataFrame:
    from opora.assessment import selectors

    stored = selectors.stored_result_keys(frame, exclude_batch_ids=exclude_batch_ids)
    if stored.is_empty():
        return pl.DataFrame(schema=CLASH_SCHEMA)
    stored = stored.with_columns(pl.col("year").cast(numbered.schema["year"]))
    clashes = numbered.join(stored, on=KEY, how="inner").select(list(CLASH_SCHEMA))
    return clashes.sort("_n", "batch_id").unique("_n", keep="first", maintain_order=True)
