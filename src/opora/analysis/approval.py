"""Approving a methodology for a year: its run becomes the year's official registry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.analysis.choices import MethodologyStatus, RunStatus
from opora.analysis.models import AnalysisRun, Methodology
from opora.analysis.services import run_analysis_for
from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry


def methodology_approve(
    *, methodology: Methodology, year: int, actor: Any, source: str
) -> AnalysisRun:
    """Approve `methodology` for `year` and make its latest run of that year official.

    Without a run of that exact version and year, one is made first. The methodology approved
    for the year before becomes «заменена»; the previous official run stays stored.
    """
    if methodology.status == MethodologyStatus.SUPERSEDED:
        raise ValidationError(
            f"Методика «{methodology}» заменена другой: утвердите её копию или действующую."
        )
    run = (
        AnalysisRun.objects.filter(methodology=methodology, year=year, status=RunStatus.DONE)
        .order_by("-started_at", "-id")
        .first()
    )
    if run is None:
        run = run_analysis_for(methodology=methodology, year=year, actor=actor, source=source)
        if run.year != year:
            raise ValidationError(f"За {year} год нет результатов: утверждать нечего.")
    with transaction.atomic():
        previous = list(
            Methodology.objects.select_for_update()
            .filter(region_id=methodology.region_id, status=MethodologyStatus.APPROVED)
            .filter(approved_year=year)
            .exclude(pk=methodology.pk)
        )
        for old in previous:
            before = snapshot_fields(old, exclude=["document"])
            old.status = MethodologyStatus.SUPERSEDED
            old.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                instance=old,
                action=AuditEntry.Action.UPDATE,
                before=before,
                after=snapshot_fields(old, exclude=["document"]),
                source=source,
                comment=f"заменена методикой «{methodology}» на {year} год",
            )
        current = Methodology.objects.select_for_update().get(pk=methodology.pk)
        before = snapshot_fields(current, exclude=["document"])
        current.status = MethodologyStatus.APPROVED
        current.approved_year = year
        current.approved_at = timezone.now()
        current.approved_by = actor if getattr(actor, "is_authenticated", False) else None
        current.save()
        audit_record(
            actor=actor,
            instance=current,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot_fields(current, exclude=["document"]),
            source=source,
            comment=f"утверждена на {year} год; официальный реестр — запуск №{run.pk}",
        )
        official = AnalysisRun.objects.filter(
            region_id=methodology.region_id, year=year, is_official=True
        ).exclude(pk=run.pk)
        for old_run in official:
            old_run.is_official = False
            old_run.save(update_fields=["is_official"])
            audit_record(
                actor=actor,
                instance=old_run,
                action=AuditEntry.Action.UPDATE,
                before={"is_official": True},
                after={"is_official": False},
                source=source,
            )
        if not run.is_official:
            run.is_official = True
            run.save(update_fields=["is_official"])
            audit_record(
                actor=actor,
                instance=run,
                action=AuditEntry.Action.UPDATE,
                before={"is_official": False},
                after={"is_official": True},
                source=source,
                comment=f"официальный реестр {year} года",
            )
    methodology.refresh_from_db()
    return run
