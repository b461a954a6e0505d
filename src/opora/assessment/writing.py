"""Writing parsed result rows: `COPY … FROM STDIN` on PostgreSQL, `bulk_create` elsewhere.

Called by `services.results_import_commit` inside its transaction; never on its own.
"""

import json
from collections.abc import Callable

import polars as pl
from django.db import connection

from opora.assessment.importers.base import RESULT_COLUMNS
from opora.assessment.models import StudentResult

CHUNK_ROWS = 100_000
Progress = Callable[[int], None]


def _noop(_rows: int) -> None:
    return None


def write_results(frame: pl.DataFrame, *, batch_id: int, progress: Progress = _noop) -> int:
    """Store every row of `frame` (columns of `RESULT_COLUMNS`) in `batch_id`; return the count."""
    rows = frame.select(*RESULT_COLUMNS).with_columns(pl.lit(batch_id, pl.Int64).alias("batch_id"))
    if connection.vendor == "postgresql":
        return _copy(rows, progress)
    return _bulk_create(rows, progress)


def _copy(rows: pl.DataFrame, progress: Progress) -> int:
    table = StudentResult._meta.db_table
    columns = ", ".join(connection.ops.quote_name(name) for name in rows.columns)
    sql = (
        f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN "
        "WITH (FORMAT csv, FORCE_NOT_NULL (class_label, medal))"
    )
    done = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for start in range(0, rows.height, CHUNK_ROWS):
            chunk = rows.slice(start, CHUNK_ROWS)
            copy.write(chunk.write_csv(include_header=False, null_value=""))
            done += chunk.height
            progress(done)
    return done


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
