"""Writes of the analysis app: methodologies (presets, copy, edit, approve) and analysis runs.

Every function validates, opens its transaction and records the audit entry, so the pages, the
API, the commands and the demo generator share one rule.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opora.analysis.choices import MethodologyStatus, RunStatus
from opora.analysis.loaders import LoadedFrames, load_frames
from opora.analysis.models import AnalysisRun, Methodology
from opora.analysis.storage import store_rows
from opora.analysis.validation import russian_errors
from opora.analytics import methodology as core_methodology
from opora.analytics.pipeline import STEPS, AnalysisResult, run_analysis
from opora.analytics.text import DEFAULT_LABELS, Labels
from opora.assessment.models import Procedure, Subject
from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.territory.models import Region

Progress = Callable[[str, int, int], None]
"""`progress(label, done, total)` after each phase of a run."""

LOAD_STEP = "загрузка данных"
STORE_STEP = "сохранение результатов"
RUN_STEPS = [LOAD_STEP, *STEPS, STORE_STEP]


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _validated(document: Mapping[str, Any]) -> core_methodology.Methodology:
    try:
        return core_methodology.Methodology.from_document(document)
    except core_methodology.MethodologyError as error:
        raise ValidationError(russian_errors(document) or [str(error)]) from error


def methodology_presets_install(*, region: Region, actor: Any, source: str) -> list[Methodology]:
    """Create the shipped presets missing in `region` (as drafts); return those created."""
    created = []
    with transaction.atomic():
        for name in core_methodology.preset_names():
            preset = core_methodology.load_preset(name)
            if Methodology.objects.filter(region=region, name=name).exists():
                continue
            methodology = Methodology.objects.create(
                region=region,
                name=preset.name,
                version=preset.version,
                document=preset.to_document(),
                preset=name,
                description="Поставляемая методика Опоры (METHODOLOGY §15).",
                created_by=_actor(actor),
            )
            audit_record(
                actor=actor,
                instance=methodology,
                action=AuditEntry.Action.CREATE,
                before=None,
                after=snapshot_fields(methodology, exclude=["document"]),
                source=source,
                comment=f"методика из поставки «{name}»",
            )
            created.append(methodology)
    return created


def methodology_resolve(*, region: Region, name: str | None, year: int | None) -> Methodology:
    """The methodology a run uses: `name` (its latest version; `name@version` for an exact one),
    else the one approved for `year`, else the latest approved, else the `default` preset."""
    queryset = Methodology.objects.filter(region=region)
    if name:
        base, _, version = name.partition("@")
        found = queryset.filter(name=base)
        if version:
            found = found.filter(version=version)
        chosen = found.order_by("-created_at", "-id").first()
        if chosen is None:
            raise ValidationError(f"В регионе «{region}» нет методики «{name}».")
        return chosen
    approved = queryset.filter(status=MethodologyStatus.APPROVED)
    chosen = (approved.filter(approved_year=year).first() if year else None) or approved.order_by(
        "-approved_year"
    ).first()
    if chosen is not None:
        return chosen
    default = queryset.filter(name=core_methodology.DEFAULT_NAME).order_by("-created_at").first()
    if default is None:
        raise ValidationError(f"В регионе «{region}» нет методики «default».")
    return default


def _next_version(region: Region, name: str, version: str) -> str:
    parts = version.split(".")
    major = parts[0] if parts and parts[0].isdigit() else "1"
    minor = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    while True:
        minor += 1
        candidate = f"{major}.{minor}.0"
        if not Methodology.objects.filter(region=region, name=name, version=candidate).exists():
            return candidate


def methodology_copy(
    *, source_methodology: Methodology, actor: Any, name: str | None = None, source: str
) -> Methodology:
    """A new draft with the parameters of `source_methodology`: the next version of the same
    name, or version 1.0.0 of a new `name`."""
    original = source_methodology
    new_name = (name or original.name).strip()
    if not new_name:
        raise ValidationError("Укажите название методики.")
    if new_name == original.name:
        version = _next_version(original.region, new_name, original.version)
    elif Methodology.objects.filter(region=original.region, name=new_name).exists():
        raise ValidationError(f"Методика «{new_name}» уже есть: скопируйте её, чтобы изменить.")
    else:
        version = "1.0.0"
    document = dict(original.document)
    document["methodology"] = {**document["methodology"], "name": new_name, "version": version}
    _validated(document)
    with transaction.atomic():
        copy = Methodology.objects.create(
            region=original.region,
            name=new_name,
            version=version,
            description=original.description,
            document=document,
            parent=original,
            created_by=_actor(actor),
        )
        audit_record(
            actor=actor,
            instance=copy,
            action=AuditEntry.Action.CREATE,
            before=None,
            after=snapshot_fields(copy, exclude=["document"]),
            source=source,
            comment=f"копия методики «{original}»",
        )
    return copy


def methodology_update(
    *,
    methodology: Methodology,
    actor: Any,
    document: Mapping[str, Any],
    description: str | None = None,
    source: str,
) -> Methodology:
    """Replace the parameters of a draft (validated by the schema; the head is kept)."""
    with transaction.atomic():
        current = Methodology.objects.select_for_update().get(pk=methodology.pk)
        if not current.is_editable:
            raise ValidationError(
                f"Методика «{current}» {current.get_status_display()}: изменить можно только "
                "черновик — сделайте копию."
            )
        new = dict(document)
        new["methodology"] = {
            **dict(new.get("methodology") or {}),
            "name": current.name,
            "version": current.version,
        }
        _validated(new)
        before = snapshot_fields(current)
        current.document = new
        if description is not None:
            current.description = description
        current.save(update_fields=["document", "description", "updated_at"])
        audit_record(
            actor=actor,
            instance=current,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot_fields(current),
            source=source,
        )
    return current


def labels() -> Labels:
    """Russian names of procedures and subjects: the core's, then the reference tables'."""
    procedures = {p.code: p.short_name for p in Procedure.objects.all()}
    subjects = {s.code: s.name[:1].lower() + s.name[1:] for s in Subject.objects.all()}
    return Labels(
        procedures={**procedures, **DEFAULT_LABELS.procedures},
        subjects={**subjects, **DEFAULT_LABELS.subjects},
    )


def compute(
    methodology: Methodology,
    loaded: LoadedFrames,
    year: int | None,
    progress: Callable[[str], None] | None = None,
    with_peers: bool = True,
) -> AnalysisResult:
    """Run the core over loaded frames with a stored methodology (nothing is written)."""
    if not loaded.years:
        raise ValidationError(
            f"В регионе нет результатов оценочных процедур{f' за {year} год' if year else ''}: "
            "анализировать нечего."
        )
    return run_analysis(
        loaded.frames,
        _validated(methodology.document),
        year=year,
        labels=labels(),
        progress=progress,
        with_peers=with_peers,
    )


def run_analysis_for(
    *,
    methodology: Methodology,
    year: int | None,
    actor: Any,
    source: str,
    progress: Progress | None = None,
) -> AnalysisRun:
    """Load the region's frames, run the core, store the run and its per-school rows.

    Reading and computing happen before the transaction; the run, its rows and the audit entry
    are written in one transaction. A failure of the core raises `ValidationError` with the
    message, and nothing is stored.
    """
    report = progress or (lambda _label, _done, _total: None)
    # Run what is stored, not a possibly stale instance: the run records exactly that version.
    methodology = Methodology.objects.get(pk=methodology.pk)
    total = len(RUN_STEPS)
    started_at, started = timezone.now(), time.perf_counter()
    report(LOAD_STEP, 0, total)
    loaded = load_frames(methodology.region_id, year)
    report(LOAD_STEP, 1, total)
    done = iter(range(2, total))
    result = compute(
        methodology, loaded, year, progress=lambda label: report(label, next(done), total)
    )
    report(STORE_STEP, total - 1, total)
    with transaction.atomic():
        run = AnalysisRun.objects.create(
            region_id=methodology.region_id,
            methodology=methodology,
            methodology_name=methodology.name,
            methodology_version=methodology.version,
            parameters=methodology.document,
            year=result.year,
            started_by=_actor(actor),
            started_by_name=_actor(actor).get_username() if _actor(actor) else "",
            started_at=started_at,
            status=RunStatus.DONE,
            warnings=list(result.warnings),
            fits=_fits(result),
        )
        run.batches.set(loaded.batch_ids)
        school_ids = loaded.frames["schools"]["school_id"].to_list()
        run.summary = store_rows(run, result, school_ids)
        run.finished_at = timezone.now()
        run.duration_s = round(time.perf_counter() - started, 3)
        run.save(update_fields=["summary", "finished_at", "duration_s"])
        audit_record(
            actor=actor,
            instance=run,
            action=AuditEntry.Action.CREATE,
            before=None,
            after=snapshot_fields(run, exclude=["parameters", "fits", "warnings"]),
            source=source,
            comment=f"анализ по методике «{methodology}» за {result.year} год",
        )
    report(STORE_STEP, total, total)
    return run


def _fits(result: AnalysisResult) -> list[dict[str, Any]]:
    from opora.analysis.storage import compact

    block = compact(result.context_fits)
    return [dict(zip(block["columns"], row, strict=True)) for row in block["rows"]]
