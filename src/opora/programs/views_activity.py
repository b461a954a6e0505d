"""The page of one activity: details, completion mark, evidence, the reviewer's remark, history.

One view serves four addresses: the page itself and the three forms on it (edit, return for
rework, evidence upload). A GET of any of them shows the page; a POST does the action when the
user may (403 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for
from opora.core import clock
from opora.core.audit import audit_entries_for
from opora.core.models import AuditEntry
from opora.programs.evidence import evidence_add
from opora.programs.forms import (
    ActivityForm,
    ActivityMarkForm,
    EvidenceForm,
    ReturnForm,
    add_service_errors,
)
from opora.programs.models import Activity, ActivityEvidence
from opora.programs.permissions import (
    PROGRAM_VIEW,
    can_edit_program,
    can_mark_activity,
    can_review_program,
    edit_owner_label,
)
from opora.programs.services import ActivityConflictError, activity_update
from opora.programs.workflow import activity_return

WEB = AuditEntry.Source.WEB


def _form_class(can_edit: bool) -> type[ActivityForm]:
    return ActivityForm if can_edit else ActivityMarkForm


@login_required
def activity_page(request: HttpRequest, activity_id: int, action: str = "") -> HttpResponse:
    activity = object_for(
        request.user,
        PROGRAM_VIEW,
        Activity.objects.select_related(
            "track__program__region", "track__program__municipality", "track__program__school"
        ),
        pk=activity_id,
    )
    program = activity.track.program
    user = request.user
    can_edit = can_edit_program(user, program)
    can_mark = can_edit or can_mark_activity(user, activity)
    can_review = can_review_program(user, program)
    form_class = _form_class(can_edit)
    form = form_class(instance=activity) if can_mark else None
    return_form = ReturnForm() if can_review else None
    evidence_form = EvidenceForm() if can_mark else None
    conflict = None
    if request.method == "POST":
        allowed = {"edit": can_mark, "return": can_review, "evidence": can_mark}.get(action)
        if not allowed:
            raise PermissionDenied("Недостаточно прав для этого действия.")
        if action == "edit":
            form = form_class(request.POST, instance=activity)
            if form.is_valid():
                try:
                    activity_update(
                        actor=user,
                        activity_id=activity.pk,
                        expected_version=form.cleaned_data["version"],
                        data=form.changes(),
                        source=WEB,
                    )
                except ActivityConflictError as error:
                    conflict = error
                    form = form_class(instance=Activity.objects.get(pk=activity.pk))
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, "Мероприятие сохранено.")
                    return redirect("programs:detail", program_id=program.pk)
        elif action == "return":
            return_form = ReturnForm(request.POST)
            if return_form.is_valid():
                activity_return(
                    actor=user,
                    activity=activity,
                    comment=return_form.cleaned_data["comment"],
                    source=WEB,
                )
                messages.success(request, "Мероприятие возвращено на доработку.")
                return redirect("programs:activity", activity_id=activity.pk)
        else:
            evidence_form = EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                try:
                    evidence_add(
                        actor=user,
                        activity=activity,
                        file=evidence_form.cleaned_data["file"],
                        title=evidence_form.cleaned_data["title"],
                        source=WEB,
                    )
                except ValidationError as error:
                    add_service_errors(evidence_form, error)
                else:
                    messages.success(request, "Файл прикреплён.")
                    return redirect("programs:activity", activity_id=activity.pk)
    return render(
        request,
        "programs/activity.html",
        {
            "activity": activity,
            "program": program,
            "overdue": activity.is_overdue(clock.today()),
            "evidence": list(activity.evidence.all()),
            "history": list(audit_entries_for([activity])[:20]),
            "form": form,
            "can_edit": can_edit,
            "return_form": return_form,
            "evidence_form": evidence_form,
            "conflict": conflict,
            "owner_label": edit_owner_label(program),
        },
    )


@login_required
def evidence_download(request: HttpRequest, activityevidence_id: int) -> FileResponse:
    """Download an evidence file (scoped like its activity)."""
    evidence = object_for(request.user, PROGRAM_VIEW, ActivityEvidence, pk=activityevidence_id)
    name = (evidence.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=name)
