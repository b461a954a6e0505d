"""Reads of the assessment app: reference data for importers, stored keys, import batches.

The aggregated figures of the results pages are read in `figures.py` and `result_pages.py`.
"""

from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet

from opora.accounts.policy import objects_for, scope_of
from opora.accounts.roles import Capability
from opora.assessment.choices import BatchStatus
from opora.assessment.importers.base import ReferenceContext
from opora.assessment.models import (
    ImportBatch,
    Procedure,
    ReferenceValue,
    SchoolResultAggregate,
    StudentResult,
    Subject,
)
from opora.core.importing.headers import normalize_text
from opora.territory.models import School

_VALUES_SCHEMA = {
    "year": pl.Int64,
    "procedure_id": pl.String,
    "subject_id": pl.String,
    "max_primary_score": pl.Int64,
    "scale_3": pl.Int64,
    "scale_4": pl.Int64,
    "scale_5": pl.Int64,
}


def _names(code: str, *names: Any) -> list[str]:
    return [key for key in (normalize_text(n) for n in (code, *names)) if key]


def reference_context() -> ReferenceContext:
    """Schools, procedures, subjects and reference values, as the importers check them."""
    procedures = list(Procedure.objects.all())
    subjects = list(Subject.objects.all())
    procedure_names: dict[str, str] = {}
    for procedure in procedures:
        for key in _names(procedure.code, procedure.name, procedure.short_name, *procedure.aliases):
            procedure_names.setdefault(key, procedure.code)
    subject_names: dict[str, str] = {}
    for subject in subjects:
        for key in _names(subject.code, subject.name, *subject.aliases):
            subject_names.setdefault(key, subject.code)
    rows = []
    for value in ReferenceValue.objects.all():
        scale = value.mark_scale if isinstance(value.mark_scale, list) else None
        bounds = scale if scale is not None and len(scale) == 3 else [None, None, None]
        rows.append(
            (value.year, value.procedure_id, value.subject_id, value.max_primary_score, *bounds)
        )
    return ReferenceContext(
        school_ids=dict(School.objects.values_list("code", "id")),
        procedure_kinds={p.code: p.result_kind for p in procedures},
        procedure_grades={p.code: [int(g) for g in p.grades] for p in procedures},
        procedure_names=procedure_names,
        subject_names=subject_names,
        values=pl.DataFrame(rows, schema=_VALUES_SCHEMA, orient="row"),
        min_year=settings.OPORA_MIN_YEAR,
        max_year=settings.OPORA_MAX_YEAR,
    )


def stored_result_keys(frame: pl.DataFrame, *, exclude_batch_ids: list[int]) -> pl.DataFrame:
    """Keys of committed results that rows of `frame` would repeat, with their batch ids."""
    key = ["student_key", "procedure_id", "subject_id", "year", "period"]
    if frame.is_empty():
        return pl.DataFrame(schema={**dict.fromkeys(key, pl.String), "batch_id": pl.Int64})
    combos = frame.select("year", "procedure_id", "subject_id").unique().rows()
    schools = frame.get_column("school_id").unique().to_list()
    stored: list[tuple[Any, ...]] = []
    for year, procedure, subject in combos:
        queryset = StudentResult.objects.filter(
            year=year, procedure_id=procedure, subject_id=subject, school_id__in=schools
        ).exclude(batch_id__in=exclude_batch_ids)
        stored.extend(queryset.values_list(*key, "batch_id").iterator(chunk_size=20000))
    schema = {
        "student_key": pl.String,
        "procedure_id": pl.String,
        "subject_id": pl.String,
        "year": pl.Int16,
        "period": pl.String,
        "batch_id": pl.Int64,
    }
    return pl.DataFrame(stored, schema=schema, orient="row")


def batch_with_sha(sha256: str) -> ImportBatch | None:
    """The committed batch loaded from a file with this checksum, if any."""
    return ImportBatch.objects.filter(sha256=sha256, status=BatchStatus.COMMITTED).first()


def batches() -> QuerySet[ImportBatch]:
    """Every import batch, newest first."""
    return ImportBatch.objects.all()


def batches_for(user: Any) -> QuerySet[ImportBatch]:
    """Batches the user may see in the import history, newest first.

    Those with rows in the user's `results.import` scope, those the user loaded, and those with
    no rows left (rolled back or replaced): a batch of another region's schools stays hidden.
    """
    scope = scope_of(user, Capability.RESULTS_IMPORT)
    queryset = ImportBatch.objects.order_by("-created_at", "-id")
    if scope.is_empty:
        return queryset.none()
    if scope.everything:
        return queryset
    schools = objects_for(user, Capability.RESULTS_IMPORT, School).values("pk")
    visible, empty = Q(actor=user), Q()
    for model in (StudentResult, SchoolResultAggregate):
        rows = model.objects.filter(batch=OuterRef("pk"))
        visible |= Q(Exists(rows.filter(school__in=schools)))
        empty &= ~Q(Exists(rows))
    return queryset.filter(visible | empty)


def batch_for_rollback(user: Any, batch_id: str) -> ImportBatch | None:
    """A committed batch the user may roll back: visible and with every row in the user's scope."""
    if not batch_id.isdigit():
        return None
    batch = batches_for(user).filter(pk=int(batch_id), status=BatchStatus.COMMITTED).first()
    if batch is None or scope_of(user, Capability.RESULTS_IMPORT).everything:
        return batch
    schools = objects_for(user, Capability.RESULTS_IMPORT, School).values("pk")
    for model in (StudentResult, SchoolResultAggregate):
        if model.objects.filter(batch=batch).exclude(school__in=schools).exists():
            return None
    return batch
