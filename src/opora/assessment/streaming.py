"""Importing a canonical file into PostgreSQL with the checks and the `COPY` overlapping.

`parse_results` followed by `results_import_commit` checks the whole file, then writes it: the
client works while the server waits, then the other way round. Here the file is read, its rows
ordered by school, and then checked slice by slice (whole schools per slice) inside the
transaction; each checked slice is sorted by the per-school index key and queued to one open
`COPY`, so the server stores slice k while the client checks slice k+1 (2 cores: a million rows
in ≈ 4.5 s instead of ≈ 7). The rows still reach the server in index order, which is what makes
the index cheap to fill. The checks that need the whole file (a student's result given twice,
results already stored by another batch) run when every slice is sent, before the commit.

All or nothing as before: at the first error of any kind the `COPY` is aborted, the transaction
rolls back, and the file is checked again by `parse_results`, whose report (every error, in
file order) is returned instead; nothing is written. Other formats and other databases take
the two-step path.
"""

from collections.abc import Callable
from typing import Any

import polars as pl
from django.db import connection, transaction

from opora.assessment import selectors
from opora.assessment.importers import FORMATS, ImportOptions, ParsedResults, parse_results
from opora.assessment.importers.base import ErrorCollector
from opora.assessment.importers.canonical import CanonicalFormat
from opora.assessment.importers.checks import validate
from opora.assessment.importers.frames import tidy_cells
from opora.assessment.importers.keys import KeyJob, with_keys
from opora.assessment.importers.stored import KEY, stored_clashes
from opora.assessment.models import ImportBatch
from opora.assessment.services import batch_close, batch_open, results_import_commit
from opora.assessment.writing import INDEX_ORDER, copy_sender

SLICE_ROWS = 100_000
FIRST_SLICE_ROWS = 10_000  # small first slices, each about twice the one before: the server
# starts early and the client keeps ahead of it (it checks ≈ 600,000 rows/s, the server stores
# ≈ 300,000)
Progress = Callable[[int, int], None]  # (rows sent, rows in the file)


class _Abandon(Exception):
    """A check failed in the middle of the stream: roll back and report by `parse_results`."""


def _noop(_done: int, _total: int) -> None:
    return None


def import_results(
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    source: str,
    format_code: str = "canonical",
    options: ImportOptions | None = None,
    progress: Progress = _noop,
) -> tuple[ParsedResults, ImportBatch | None]:
    """Check and store a file in one go: the parsed file and its new batch, or the parsed file
    with its errors and None (then nothing was written)."""
    if format_code != "canonical" or connection.vendor != "postgresql":
        parsed = parse_results(data, file_name, format_code, options)
        if parsed.errors:
            return parsed, None
        progress(0, parsed.frame.height)
        batch = results_import_commit(
            actor=actor,
            parsed=parsed,
            source=source,
            progress=lambda done: progress(done, parsed.frame.height),
        )
        return parsed, batch
    fmt = FORMATS["canonical"]
    assert isinstance(fmt, CanonicalFormat)
    parsed, frame, _errors = fmt.prepare(data, file_name, tidy=False)
    if frame is None:
        return parsed, None
    try:
        with transaction.atomic():
            batch, previous = batch_open(actor=actor, parsed=parsed)
            parsed.frame, summary = _stream(frame, parsed, batch.pk, progress)
            excluded = [batch.pk] + ([previous.pk] if previous is not None else [])
            _, clashes = stored_clashes(parsed.frame, exclude_batch_ids=excluded, limit=1)
            if clashes:
                raise _Abandon
            batch_close(
                actor=actor,
                batch=batch,
                previous=previous,
                parsed=parsed,
                rows=parsed.frame.height,
                source=source,
                summary=summary,
            )
    except _Abandon:
        parsed = parse_results(data, file_name, format_code, options)
        if parsed.errors:
            return parsed, None
        # What failed a moment ago passes now (a clashing batch was rolled back meanwhile).
        return parsed, results_import_commit(actor=actor, parsed=parsed, source=source)
    return parsed, batch


def _stream(
    frame: pl.DataFrame, parsed: ParsedResults, batch_id: int, progress: Progress
) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """Check `frame` slice by slice and send the good slices to the open COPY; the checked and
    pseudonymised rows (`with_keys`) and their summary, or `_Abandon` at the first error."""
    context = selectors.reference_context()
    school = (
        frame.get_column("school_code")
        .str.strip_chars()
        .replace_strict(context.school_ids, default=None, return_dtype=pl.Int64)
    )
    order = school.arg_sort(nulls_last=True)
    school = school.gather(order)  # the rows themselves are gathered slice by slice
    total, done = frame.height, 0
    progress(0, total)
    pieces: list[pl.DataFrame] = []
    errors = ErrorCollector("", {}, {})  # only whether it counts an error matters here
    read = list(parsed.headers)  # the columns the file has (the others are all null)
    with copy_sender() as send:
        for start, stop in _slices(school):
            piece = tidy_cells(frame[order.slice(start, stop - start)], read)
            done += stop - start
            if piece.is_empty():  # blank lines only (they come last: no school)
                progress(done, total)
                continue
            job = KeyJob(piece.get_column("student_id"))
            typed = validate(piece, context, errors)
            if errors.count:
                raise _Abandon
            keyed = with_keys(typed, job)
            send(
                keyed.sort(*INDEX_ORDER).with_columns(pl.lit(batch_id, pl.Int64).alias("batch_id"))
            )
            pieces.append(keyed)
            progress(done, total)
        if not pieces:
            raise _Abandon  # no row at all: an error of the file
        # While the server stores the last slices: the whole-file checks and the summary.
        parsed.frame = pl.concat(pieces, rechunk=False)
        parsed.rows_read = parsed.frame.height
        if parsed.frame.select(KEY).is_duplicated().any():
            raise _Abandon
        summary = parsed.summary()
    return parsed.frame, summary


def _slices(school: pl.Series) -> list[tuple[int, int]]:
    """(start, stop) of slices of about `SLICE_ROWS` rows of the school-ordered frame, cut where
    the school changes, so that slices sorted each by the index key follow one another in
    index order (the first slices are smaller: the server starts sooner)."""
    ids = school.fill_null(-1)
    changes = (ids != ids.shift(1)).fill_null(False).arg_true()  # where a school begins
    bounds, start = [], 0
    target = FIRST_SLICE_ROWS
    while start < len(ids):
        at = int(changes.search_sorted(start + target, side="left"))
        stop = int(changes[at]) if at < len(changes) else len(ids)
        bounds.append((start, stop))
        start, target = stop, min(2 * target, SLICE_ROWS)
    return bounds
