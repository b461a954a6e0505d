"""Writing parsed result rows: `COPY … FROM STDIN` on PostgreSQL, `bulk_create` elsewhere.

Called inside a transaction, by `services.results_import_commit` (the whole frame) or by
`streaming.import_results` (`copy_sender`, slice by slice); never on its own. Rows go in sorted
by the per-school index key, so a school's rows sit together on disk (the school card reads few
pages) and the index is filled in key order: a million rows in key order took the server
3,8–4,1 s, the same rows in file order 5,5–6,1 s (psql-like COPY of prepared bytes).
"""

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import polars as pl
from django.db import connection, transaction
from psycopg.copy import QueuedLibpqWriter

from opora.assessment.importers.base import RESULT_COLUMNS
from opora.assessment.models import StudentResult

CHUNK_ROWS = 100_000
INDEX_ORDER = ("school_id", "year", "procedure_id", "subject_id")  # result_school_year_idx
Progress = Callable[[int], None]


def _noop(_rows: int) -> None:
    return None


def write_results(frame: pl.DataFrame, *, batch_id: int, progress: Progress = _noop) -> int:
    """Store every row of `frame` (columns of `RESULT_COLUMNS`) in `batch_id`; return the count."""
    rows = frame.select(*RESULT_COLUMNS).with_columns(pl.lit(batch_id, pl.Int64).alias("batch_id"))
    if connection.vendor == "postgresql":
        return _copy(rows.sort(*INDEX_ORDER), progress)
    return _bulk_create(rows, progress)


def _copy(rows: pl.DataFrame, progress: Progress) -> int:
    done = 0
    with copy_sender() as send:
        for start in range(0, rows.height, CHUNK_ROWS):
            done += send(rows.slice(start, CHUNK_ROWS))
            progress(done)
    return done


@contextmanager
def copy_sender() -> Iterator[Callable[[pl.DataFrame], int]]:
    """One `COPY` into the results table, open for the block: each call of the yielded function
    queues the rows of a frame (`RESULT_COLUMNS` and `batch_id`, in that order) as text (the
    server reads `COPY`'s tab-separated text format ≈ 0,3 s per million rows faster than CSV) and
    returns their count at once; psycopg's writer thread sends the queue to the server, so the
    caller prepares the next rows while the server stores these. Leaving the block by an
    exception aborts the COPY (the caller's transaction must then roll back)."""
    table = StudentResult._meta.db_table
    names = [*RESULT_COLUMNS, "batch_id"]
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    sql = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:

            def send(rows: pl.DataFrame) -> int:
                buffer = io.BytesIO()
                _text_safe(rows.select(names)).write_csv(
                    buffer,
                    include_header=False,
                    separator="\t",
                    quote_style="never",
                    null_value="\\N",
                )
                copy.write(buffer.getvalue())
                return rows.height

            yield send


def _text_safe(rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` with the characters that `COPY`'s text format reserves escaped in `class_label`,
    the one free-text column (codes, keys, numbers and the JSON of integers never hold them)."""
    label = pl.col("class_label")
    if not rows.select(label.str.contains(r"[\\\t\n\r]").any()).item():
        return rows
    for char, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        label = label.str.replace_all(char, escaped, literal=True)
    return rows.with_columns(label)


def _bulk_create(rows: pl.DataFrame, progress: Progress) -> int:
    done = 0
    for start in range(0, rows.height, 5000):
        chunk = rows.slice(start, 5000)
        objects = []
        for row in chunk.iter_rows(named=True):
            tasks = row.pop("task_scores")
            objects.append(
                StudentResult(**row, task_scores=json.loads(tasks) if tasks is not None else None)
            )
        StudentResult.objects.bulk_create(objects)
        done += chunk.height
        progress(done)
    return done


def refresh_statistics_after(rows_changed: int) -> None:
    """After the current transaction commits, have PostgreSQL re-sample the results table when
    `rows_changed` is at least a tenth of it (autovacuum's own threshold, but at once): a large
    first load read with the empty table's statistics made the planner sort two million rows on
    disk for the region page (4,7 s instead of 2,4 s). ANALYZE samples 30 000 rows: ≈ 0,4 s."""
    if connection.vendor != "postgresql" or rows_changed <= 0:
        return
    table = connection.ops.quote_name(StudentResult._meta.db_table)

    def analyse() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [StudentResult._meta.db_table],
            )
            estimate = cursor.fetchone()[0]
            if estimate < 0 or rows_changed * 10 >= estimate:  # -1: never analysed
                cursor.execute(f"ANALYZE {table}")

    transaction.on_commit(analyse)
