"""The roadmap import page: upload → preview with what was not understood → fix → save.

The uploaded file is kept under MEDIA_ROOT/programs/imports/ between the two steps and named by
a random token; the confirm step reads it again, applies the user's fixes and saves through
`roadmap_import_commit`, all or nothing.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for
from opora.core.models import AuditEntry
from opora.programs.deadlines import Kind, parse_deadline
from opora.programs.importers import (
    RoadmapPreview,
    UnsupportedFormatError,
    read_roadmap,
    roadmap_import_commit,
)
from opora.programs.models import Program
from opora.programs.permissions import PROGRAM_VIEW, can_edit_program

MAX_UPLOAD = 20 * 1024 * 1024
SUFFIXES = (".docx", ".xlsx")


def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "programs" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored(token: str) -> Path | None:
    """The uploaded file of `token`; None for a token that is not ours (no path tricks)."""
    if not token or not token.replace("-", "").replace(".", "").isalnum():
        return None
    name, _, suffix = token.rpartition(".")
    if f".{suffix}" not in SUFFIXES or not name.isalnum():
        return None
    path = _upload_dir() / token
    return path if path.is_file() else None


def _preview(program: Program, path: Path) -> RoadmapPreview:
    return read_roadmap(
        path.name,
        path.read_bytes(),
        school_year=program.period_start_year,
        last_year=program.period_end_year,
    )


def _apply_fixes(request: HttpRequest, program: Program, preview: RoadmapPreview) -> None:
    """Deadlines retyped by the user replace the ones that were not understood."""
    for index, activity in enumerate(preview.activities):
        fixed = request.POST.get(f"deadline-{index}")
        if fixed is not None and fixed.strip() and fixed != activity.deadline_text:
            activity.deadline_text = fixed.strip()
            activity.deadline = parse_deadline(
                activity.deadline_text, program.period_start_year, program.period_end_year
            )


@login_required
def roadmap_import(request: HttpRequest, program_id: int) -> HttpResponse:
    """Upload a roadmap, look at what was understood, fix the deadlines, save."""
    program = object_for(request.user, PROGRAM_VIEW, Program, pk=program_id)
    can_edit = can_edit_program(request.user, program)
    context: dict[str, object] = {"program": program, "can_edit": can_edit}
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Загружать дорожную карту может только уровень программы.")
    if request.method == "POST" and "file" in request.FILES:
        upload = request.FILES.get("file")
        assert upload is not None
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in SUFFIXES or (upload.size or 0) > MAX_UPLOAD:
            context["error"] = "Загрузите файл DOCX или XLSX размером до 20 МБ."
        else:
            token = f"{secrets.token_hex(16)}{suffix}"
            path = _upload_dir() / token
            path.write_bytes(upload.read())
            try:
                context.update(preview=_preview(program, path), token=token)
            except (UnsupportedFormatError, ValueError, KeyError) as exc:
                path.unlink(missing_ok=True)
                context["error"] = f"Файл не удалось прочитать: {exc}"
    elif request.method == "POST":
        stored = _stored(request.POST.get("token", ""))
        if stored is None:
            context["error"] = "Файл загрузки не найден: загрузите его ещё раз."
        else:
            path = stored
            preview = _preview(program, path)
            _apply_fixes(request, program, preview)
            try:
                tracks, activities = roadmap_import_commit(
                    actor=request.user,
                    program=program,
                    preview=preview,
                    source=AuditEntry.Source.IMPORT,
                )
            except ValidationError as error:
                context.update(preview=preview, token=path.name, error=" ".join(error.messages))
            else:
                path.unlink(missing_ok=True)
                messages.success(
                    request, f"Загружено направлений: {tracks}, мероприятий: {activities}."
                )
                return redirect("programs:detail", program_id=program.pk)
    preview_obj = context.get("preview")
    if isinstance(preview_obj, RoadmapPreview):
        context["rows"] = [
            (index, activity, activity.deadline.kind == Kind.UNPARSED)
            for index, activity in enumerate(preview_obj.activities)
        ]
    return render(request, "programs/roadmap_import.html", context)
