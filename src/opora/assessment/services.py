"""Writes of the assessment app: committing and rolling back result imports, loading reference data.

Each service validates, writes in one transaction and records an audit entry.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.assessment.choices import BatchStatus
from opora.assessment.importers.base import ParsedResults
from opora.assessment.models import ImportBatch, Procedure, ReferenceValue, StudentResult, Subject
from opora.assessment.writing import Progress, refresh_statistics_after, write_results
from opora.core.audit import audit_record, snapshot_fields
from opora.core.importing.errors import ImportFailed
from opora.core.models import AuditEntry

REFERENCE_FILE = Path(__file__).resolve().parent / "reference" / "reference.json"


def _actor_name(actor: Any) -> str:
    return actor.get_username() if getattr(actor, "is_authenticated", False) else ""


def _noop(_rows: int) -> None:
    return None


@transaction.atomic
def results_import_commit(
    *, actor: Any, parsed: ParsedResults, source: str, progress: Progress = _noop
) -> ImportBatch:
    """Store the rows of a checked file as a new batch; all or nothing.

    A committed batch of a file with the same SHA-256 is replaced: its rows are deleted and it is
    marked `replaced`, so loading one file twice never doubles its rows.
    """
    if parsed.errors:
        raise ImportFailed(parsed.errors)
    batch, previous = batch_open(actor=actor, parsed=parsed)
    rows = write_results(parsed.frame, batch_id=batch.pk, progress=progress)
    batch_close(
        actor=actor, batch=batch, previous=previous, parsed=parsed, rows=rows, source=source
    )
    return batch


def batch_open(*, actor: Any, parsed: ParsedResults) -> tuple[ImportBatch, ImportBatch | None]:
    """Inside the caller's transaction: a new batch for `parsed`'s file, and the committed batch
    of the same file (now replaced, its rows deleted) if there was one."""
    previous = (
        ImportBatch.objects.select_for_update()
        .filter(sha256=parsed.sha256, status=BatchStatus.COMMITTED)
        .first()
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    batch = ImportBatch.objects.create(
        actor=user,
        actor_name=_actor_name(actor),
        file_name=parsed.file_name[:255],
        sha256=parsed.sha256,
        format=parsed.format,
        dropped_columns=parsed.dropped_columns,
    )
    if previous is not None:
        StudentResult.objects.filter(batch=previous).delete()
        previous.status = BatchStatus.REPLACED
        previous.replaced_by = batch
        previous.save(update_fields=["status", "replaced_by"])
    return batch, previous


def batch_close(
    *,
    actor: Any,
    batch: ImportBatch,
    previous: ImportBatch | None,
    parsed: ParsedResults,
    rows: int,
    source: str,
    summary: list[dict[str, object]] | None = None,
) -> None:
    """Inside the caller's transaction, after `rows` rows of `parsed` went into `batch`: record
    its composition (`summary` if already computed) and the audit entry, and have the statistics
    refreshed at commit."""
    batch.summary = parsed.summary() if summary is None else summary
    batch.rows_read = parsed.rows_read
    batch.rows_written = rows
    batch.save(update_fields=["summary", "rows_read", "rows_written"])
    refresh_statistics_after(rows)
    audit_record(
        actor=actor,
        instance=batch,
        action=AuditEntry.Action.CREATE,
        before=None,
        after=snapshot_fields(batch),
        source=source,
        comment=f"заменён пакет №{previous.pk}" if previous is not None else "",
    )


@transaction.atomic
def results_import_rollback(*, actor: Any, batch: ImportBatch, source: str) -> int:
    """Delete the rows of a committed batch and mark it rolled back; return the rows deleted."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.COMMITTED:
        raise ValidationError(
            f"Пакет №{batch.pk} нельзя отменить: его состояние «{batch.get_status_display()}»."
        )
    before = snapshot_fields(batch)
    deleted, _ = StudentResult.objects.filter(batch=batch).delete()
    refresh_statistics_after(deleted)
    batch.aggregates.all().delete()
    batch.status = BatchStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.rolled_back_by = _actor_name(actor)
    batch.save(update_fields=["status", "rolled_back_at", "rolled_back_by"])
    audit_record(
        actor=actor,
        instance=batch,
        action=AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(batch),
        source=source,
        comment=f"отмена загрузки, удалено строк: {deleted}",
    )
    return deleted


@dataclass
class ReferenceLoad:
    """What `reference_load` did: counts per kind of record."""

    version: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _upsert(
    model: Any,
    lookup: dict[str, Any],
    data: dict[str, Any],
    *,
    actor: Any,
    source: str,
    result: ReferenceLoad,
) -> Any:
    instance = model.objects.filter(**lookup).first()
    creating = instance is None
    if creating:
        instance = model(**lookup)
    before = None if creating else snapshot_fields(instance)
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    after = snapshot_fields(instance)
    if not creating and before == after:
        result.unchanged += 1
        return instance
    instance.save()
    audit_record(
        actor=actor,
        instance=instance,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        before=before,
        after=snapshot_fields(instance),
        source=source,
    )
    if creating:
        result.created += 1
    else:
        result.updated += 1
    return instance


@transaction.atomic
def reference_load(*, actor: Any, path: Path = REFERENCE_FILE, source: str) -> ReferenceLoad:
    """Create or update procedures, subjects and reference values from a reference JSON file."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    result = ReferenceLoad(version=str(document.get("version", "")))
    for item in document["procedures"]:
        data = {k: v for k, v in item.items() if k != "code"}
        _upsert(Procedure, {"code": item["code"]}, data, actor=actor, source=source, result=result)
    for item in document["subjects"]:
        data = {k: v for k, v in item.items() if k != "code"}
        _upsert(Subject, {"code": item["code"]}, data, actor=actor, source=source, result=result)
    for item in document["values"]:
        lookup = {
            "year": item["year"],
            "procedure_id": item["procedure"],
            "subject_id": item["subject"],
        }
        data = {k: v for k, v in item.items() if k not in {"year", "procedure", "subject"}}
        _upsert(ReferenceValue, lookup, data, actor=actor, source=source, result=result)
    return result
