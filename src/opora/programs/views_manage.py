"""Pages that build a program: create it, edit its passport, add tracks and activities, delete.

Deleting a program or a track asks for confirmation and says what it hides; an administrator
restores it in the admin («Удалённые программы» / the restore action).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for, scope_of, user_can
from opora.core.models import AuditEntry
from opora.programs.deletion import deletion_summary, program_delete, track_delete
from opora.programs.forms import (
    ActivityNewForm,
    PassportForm,
    ProgramCreateForm,
    TrackForm,
    add_service_errors,
)
from opora.programs.models import Track
from opora.programs.permissions import PROGRAM_EDIT, PROGRAM_VIEW, can_edit_program
from opora.programs.services import activity_create, program_create, program_update, track_create
from opora.programs.views import program_in_scope
from opora.territory.models import Municipality, Region, School

WEB = AuditEntry.Source.WEB


def _owners(user: Any) -> list[tuple[str, str]]:
    """The territories whose programs the user writes (own level), as form choices."""
    scope = scope_of(user, PROGRAM_EDIT)
    regions = (
        Region.objects.all() if scope.everything else Region.objects.filter(pk__in=scope.region_ids)
    )
    municipalities = (
        Municipality.objects.all()
        if scope.everything
        else Municipality.objects.filter(pk__in=scope.municipality_ids)
    )
    schools = (
        School.objects.all() if scope.everything else School.objects.filter(pk__in=scope.school_ids)
    )
    return (
        [(f"region:{r.pk}", f"Регион: {r.name}") for r in regions.order_by("name")]
        + [(f"municipality:{m.pk}", m.name) for m in municipalities.order_by("name")]
        + [(f"school:{s.pk}", s.short_name) for s in schools.order_by("short_name")]
    )


def _territory(owner: str) -> dict[str, Any]:
    kind, _, pk = owner.partition(":")
    model: Any = {"region": Region, "municipality": Municipality, "school": School}[kind]
    return {kind: model.objects.get(pk=int(pk))}


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Недостаточно прав для изменения программы.")


@login_required
def program_new(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, PROGRAM_EDIT):
        raise PermissionDenied("Недостаточно прав для создания программ.")
    form = ProgramCreateForm(request.POST or None, owners=_owners(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = program_create(
                actor=request.user,
                kind=data["kind"],
                name=data["name"],
                period_start_year=data["period_start_year"],
                period_end_year=data["period_end_year"],
                source=WEB,
                **_territory(data["owner"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Программа создана.")
            return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/program_new.html", {"form": form})


@login_required
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    """The passport form (for those who may change the program)."""
    program = program_in_scope(request, program_id)
    can_edit = can_edit_program(request.user, program)
    form = PassportForm(request.POST or None, instance=program) if can_edit else None
    if request.method == "POST":
        _refuse_unless(can_edit)
        assert form is not None
        if form.is_valid():
            try:
                program_update(
                    actor=request.user,
                    program=program_in_scope(request, program_id),
                    data={name: form.cleaned_data[name] for name in form.Meta.fields},
                    source=WEB,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Паспорт программы сохранён.")
                return redirect("programs:detail", program_id=program.pk)
    return render(request, "programs/program_edit.html", {"program": program, "form": form})


@login_required
def program_remove(request: HttpRequest, program_id: int) -> HttpResponse:
    """Confirm, then hide the program; an administrator can restore it."""
    program = program_in_scope(request, program_id)
    can_edit = can_edit_program(request.user, program)
    if request.method == "POST":
        _refuse_unless(can_edit)
        if request.POST.get("confirm") == "yes":
            program_delete(actor=request.user, program=program, source=WEB)
            messages.success(
                request,
                f"Программа «{program.name}» удалена. Восстановить её может администратор.",
            )
            return redirect("programs:list")
    return render(
        request,
        "programs/confirm_delete.html",
        {
            "program": program,
            "what": f"программу «{program.name}»",
            "summary": deletion_summary(program=program),
            "can_edit": can_edit,
            "back": program.pk,
        },
    )


@login_required
def track_new(request: HttpRequest, program_id: int) -> HttpResponse:
    program = program_in_scope(request, program_id)
    can_edit = can_edit_program(request.user, program)
    form = TrackForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        _refuse_unless(can_edit)
        assert form is not None
        if form.is_valid():
            track_create(
                actor=request.user, program=program, name=form.cleaned_data["name"], source=WEB
            )
            messages.success(request, "Направление добавлено.")
            return redirect("programs:detail", program_id=program.pk)
    return render(
        request,
        "programs/simple_form.html",
        {"program": program, "form": form, "title": "Новое направление"},
    )


def _track(request: HttpRequest, track_id: int) -> Track:
    return object_for(
        request.user, PROGRAM_VIEW, Track.objects.select_related("program"), pk=track_id
    )


@login_required
def track_remove(request: HttpRequest, track_id: int) -> HttpResponse:
    track = _track(request, track_id)
    program = track.program
    can_edit = can_edit_program(request.user, program)
    if request.method == "POST":
        _refuse_unless(can_edit)
        if request.POST.get("confirm") == "yes":
            track_delete(actor=request.user, track=track, source=WEB)
            messages.success(
                request, f"Направление «{track}» удалено. Восстановить его может администратор."
            )
            return redirect("programs:detail", program_id=program.pk)
    return render(
        request,
        "programs/confirm_delete.html",
        {
            "program": program,
            "what": f"направление «{track}»",
            "summary": deletion_summary(track=track),
            "can_edit": can_edit,
            "back": program.pk,
        },
    )


@login_required
def activity_new(request: HttpRequest, track_id: int) -> HttpResponse:
    track = _track(request, track_id)
    program = track.program
    can_edit = can_edit_program(request.user, program)
    form = ActivityNewForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        _refuse_unless(can_edit)
        assert form is not None
        if form.is_valid():
            try:
                activity_create(
                    actor=request.user, track=track, data=dict(form.cleaned_data), source=WEB
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Мероприятие добавлено.")
                return redirect("programs:detail", program_id=program.pk)
    return render(
        request,
        "programs/simple_form.html",
        {"program": program, "form": form, "title": f"Новое мероприятие: {track}"},
    )
