"""Program pages: the list in scope, a program with its roadmap, «Мои задачи», the exports.

Thin: authorise → one selector or service → render. Every page that takes an object finds it in
the user's PROGRAM_VIEW scope (404 otherwise); a page that changes something shows what it can
to anyone in scope and refuses the POST (403) to those who may not change it.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.policy import object_for, user_can
from opora.core import clock
from opora.programs.exporters import EXPORTERS
from opora.programs.models import Program
from opora.programs.permissions import (
    PROGRAM_EDIT,
    PROGRAM_VIEW,
    can_edit_program,
    can_review_program,
)
from opora.programs.rollup import rollup
from opora.programs.selectors import my_tasks as select_my_tasks
from opora.programs.selectors import programs_for, roadmap


def program_in_scope(request: HttpRequest, program_id: int) -> Program:
    """The program if the user may see it, else 404."""
    return object_for(
        request.user,
        PROGRAM_VIEW,
        Program.objects.select_related("region", "municipality", "school"),
        pk=program_id,
    )


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    """Programs the user may see, with activity and overdue counts."""
    if not user_can(request.user, PROGRAM_VIEW):
        raise PermissionDenied("Нет доступа к программам")
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": programs_for(request.user),
            "can_create": user_can(request.user, PROGRAM_EDIT),
        },
    )


@login_required
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    """The passport and the roadmap grouped by track, overdue activities highlighted."""
    program = program_in_scope(request, program_id)
    today = clock.today()
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
            "rework": sum(a.needs_rework for _, rows in tracks for a, _ in rows),
            "can_edit": can_edit_program(request.user, program),
            "can_review": can_review_program(request.user, program),
            "exporters": EXPORTERS.values(),
        },
    )


@login_required
def program_rollup(request: HttpRequest) -> HttpResponse:
    """Execution of the roadmaps in scope per municipality and program."""
    if not user_can(request.user, PROGRAM_VIEW):
        raise PermissionDenied("Нет доступа к программам")
    areas, total = rollup(request.user, clock.today())
    return render(request, "programs/rollup.html", {"areas": areas, "total": total})


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Open activities the user is responsible for, overdue first."""
    today = clock.today()
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
