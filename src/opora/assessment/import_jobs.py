"""Result imports from the upload page, run in a background thread with a progress record.

The page starts a job: a dry run only checks the file (`parse_results`); a real one checks and
stores it (`streaming.import_results`, whose progress callback reports the rows sent). The job's
state is a small JSON record in MEDIA_ROOT/imports/, rewritten after every step, so that the page
can poll it from any worker process. No broker is needed (ARCHITECTURE: "inline by default; a job record
with progress the page polls").
"""

import json
import logging
import os
import re
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from opora.assessment.choices import Period
from opora.assessment.figures import catalogue
from opora.assessment.importers import ImportOptions, parse_results
from opora.assessment.streaming import import_results
from opora.core.importing.errors import ImportFailed, RowError
from opora.core.models import AuditEntry

logger = logging.getLogger(__name__)
TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_SECONDS = 7 * 24 * 3600  # job records older than this are deleted
STALLED_SECONDS = 3600  # an unfinished job silent this long has lost its process
_THREADS: dict[str, threading.Thread] = {}


@dataclass
class ImportJob:
    """The state of one import started from the upload page."""

    token: str
    file_name: str
    format: str
    dry_run: bool
    procedure: str = ""  # what the user said about the file (ImportOptions)
    year: int | None = None
    actor: str = ""
    state: str = "checking"  # checking → writing → done, or failed
    rows_total: int = 0
    rows_done: int = 0
    rows_read: int = 0
    skipped_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    summary: list[dict[str, Any]] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    batch_id: int | None = None
    replaced_id: int | None = None
    message: str = ""
    started_at: str = ""
    finished_at: str = ""

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    return _folder() / f"results-{token}.json"


def save(job: ImportJob) -> None:
    """Write the record atomically (a reader never sees half a file)."""
    path = _path(job.token)
    temporary = path.with_suffix(f".{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def load(token: str) -> ImportJob | None:
    """The job with this token, or None for an unknown or malformed token."""
    if not TOKEN.match(token):
        return None
    path = _path(token)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        silent = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None
    job = ImportJob(**data)
    if not job.finished and silent > STALLED_SECONDS:
        # The process that ran it is gone (a restart): the commit is one transaction, so the
        # file is either stored whole or not at all.
        job.state = "failed"
        job.message = (
            "Загрузка прервана: сервер перезапускался. Проверьте историю загрузок и, если "
            "пакета этого файла там нет, загрузите файл снова."
        )
    return job


def _sweep() -> None:
    now = time.time()
    for old in _folder().glob("results-*.json"):
        if now - old.stat().st_mtime > STALE_SECONDS:
            old.unlink(missing_ok=True)


def start(
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    format_code: str,
    dry_run: bool,
    options: ImportOptions | None = None,
) -> ImportJob:
    """Record a new job and run it in a background thread."""
    _sweep()
    options = options or ImportOptions()
    job = ImportJob(
        token=uuid.uuid4().hex,
        file_name=file_name,
        format=format_code,
        dry_run=dry_run,
        procedure=options.procedure,
        year=options.year,
        actor=actor.get_username() if getattr(actor, "is_authenticated", False) else "",
        started_at=timezone.now().isoformat(),
    )
    save(job)
    thread = threading.Thread(
        target=_run_in_thread, args=(job, actor, data), name=f"results-import-{job.token[:8]}"
    )
    _THREADS[job.token] = thread
    thread.start()
    return job


def wait(token: str) -> None:
    """Wait for the thread of a job started by this process (used by tests and commands)."""
    thread = _THREADS.pop(token, None)
    if thread is not None:
        thread.join()


def _run_in_thread(job: ImportJob, actor: Any, data: bytes) -> None:
    try:
        run(job, actor, data)
    except Exception:  # the page must learn that the job ended, whatever happened
        logger.exception("results import %s failed", job.token)
        job.state, job.message = "failed", "Внутренняя ошибка при загрузке. Ничего не записано."
        job.finished_at = timezone.now().isoformat()
        save(job)
    finally:
        connection.close()


def _error(error: RowError) -> dict[str, Any]:
    return asdict(error)


def run(job: ImportJob, actor: Any, data: bytes) -> ImportJob:
    """Check the file and, unless a dry run, store it; record every step in the job.

    A real import checks and writes in one go (`streaming.import_results`): the job turns to
    `writing` once the file is read, and counts the rows sent to the database."""
    options = ImportOptions(procedure=job.procedure, year=job.year)
    batch = None
    if job.dry_run:
        parsed = parse_results(data, job.file_name, job.format, options)
    else:

        def progress(done: int, total: int) -> None:
            job.state, job.rows_total, job.rows_done = "writing", total, done
            save(job)

        try:
            parsed, batch = import_results(
                actor=actor,
                data=data,
                file_name=job.file_name,
                source=AuditEntry.Source.WEB,
                format_code=job.format,
                options=options,
                progress=progress,
            )
        except ImportFailed as failed:
            job.errors = [_error(e) for e in failed.errors]
            job.error_count = len(failed.errors)
            return _finish(job, "failed", "Файл не загружен. Ничего не записано.")
    names = catalogue()
    job.rows_read = parsed.rows_read
    job.skipped_rows = parsed.skipped_rows
    job.dropped_columns = list(parsed.dropped_columns)
    job.summary = [
        {
            **item,
            "procedure_name": names.procedure_name(str(item["procedure"])),
            "subject_name": names.subject_name(str(item["subject"])),
            "period_name": dict(Period.choices).get(str(item["period"]), str(item["period"])),
        }
        for item in (parsed.summary() if parsed.ok else [])
    ]
    if not parsed.ok:
        job.errors = [_error(e) for e in parsed.errors]
        job.error_count = parsed.error_count
        job.rows_total = job.rows_done = 0
        return _finish(job, "failed", "Файл не загружен: в нём есть ошибки. Ничего не записано.")
    job.rows_total = parsed.frame.height
    if batch is None:
        return _finish(job, "done", "Проверка пройдена, ошибок нет. Ничего не записано.")
    replaced = batch.replaced.first()
    job.batch_id, job.replaced_id = batch.pk, replaced.pk if replaced else None
    job.rows_done = batch.rows_written
    return _finish(job, "done", f"Загружен пакет №{batch.pk}: строк {batch.rows_written}.")


def _finish(job: ImportJob, state: str, message: str) -> ImportJob:
    job.state, job.message = state, message
    job.finished_at = timezone.now().isoformat()
    save(job)
    return job
