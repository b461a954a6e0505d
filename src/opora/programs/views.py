"""Program pages: the list in scope, a program with its roadmap, activity edit, «Мои задачи»,
and the exports. Thin: authorise → one selector or service → render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for, user_can
from opora.core.models import AuditEntry
from opora.programs.exporters import EXPORTERS
from opora.programs.forms import ActivityForm
from opora.programs.models import Activity, Program
from opora.programs.selectors import (
    PROGRAM_EDIT,
    PROGRAM_VIEW,
    programs_for,
    roadmap,
)
from opora.programs.selectors import (
    my_tasks as select_my_tasks,
)
from opora.programs.services import ActivityConflictError, activity_update


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    """Programs the user may see, with activity and overdue counts."""
    if not user_can(request.user, PROGRAM_VIEW):
        raise PermissionDenied("Нет доступа к программам")
    return render(request, "programs/program_list.html", {"programs": programs_for(request.user)})


@login_required
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    """The passport and the roadmap grouped by track, overdue activities highlighted."""
    program = object_for(
        request.user,
        PROGRAM_VIEW,
        Program.objects.select_related("region", "municipality", "school"),
        pk=program_id,
    )
    today = dt.date.today()
    tracks = [
        (track, [(a, a.is_overdue(today)) for a in track.activities.all()])
        for track in roadmap(program)
    ]
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "tracks": tracks,
            "overdue": sum(flag for _, rows in tracks for _, flag in rows),
            "can_edit": user_can(request.user, PROGRAM_EDIT, program),
            "exporters": EXPORTERS.values(),
        },
    )


@login_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Edit an activity; a save over someone else's newer save shows their values instead."""
    activity = object_for(
        request.user,
        PROGRAM_EDIT,
        Activity.objects.select_related("track__program"),
        pk=activity_id,
    )
    form = ActivityForm(request.POST or None, instance=activity)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(
                actor=request.user,
                activity_id=activity.pk,
                expected_version=form.cleaned_data["version"],
                data=form.changes(),
                source=AuditEntry.Source.WEB,
            )
        except ActivityConflictError as error:
            conflict = error
            form = ActivityForm(instance=Activity.objects.get(pk=activity.pk))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Мероприятие сохранено.")
            return redirect("programs:detail", program_id=activity.track.program_id)
    return render(
        request,
        "programs/activity_edit.html",
        {
            "activity": activity,
            "program": activity.track.program,
            "form": form,
            "conflict": conflict,
        },
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Open activities the user is responsible for, overdue first."""
    today = dt.date.today()
    tasks = [(a, a.is_overdue(today)) for a in select_my_tasks(request.user, today)]
    return render(request, "programs/my_tasks.html", {"tasks": tasks})


@login_required
def program_export(request: HttpRequest, program_id: int, exporter: str) -> HttpResponse:
    """Download an export of the program (roadmap XLSX/DOCX, passport DOCX)."""
    program = object_for(request.user, PROGRAM_VIEW, Program, pk=program_id)
    filename, mimetype, content = EXPORTERS[exporter].render(program)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
