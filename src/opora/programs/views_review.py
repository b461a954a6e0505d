"""Review and reporting pages: a program's review (submit, approve, return), its reports, the
reporting periods and, per period, who has not reported and how late."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for, objects_for, scope_of, user_can
from opora.core import clock
from opora.core.audit import audit_entries_for
from opora.core.models import AuditEntry
from opora.programs.choices import ProgramLevel, ProgramStatus
from opora.programs.forms import PeriodForm, ReportForm, ReturnForm, add_service_errors
from opora.programs.models import Activity, ProgramReport, ReportingPeriod
from opora.programs.permissions import (
    PROGRAM_REVIEW,
    PROGRAM_VIEW,
    can_edit_program,
    can_review_program,
)
from opora.programs.reporting import period_create, period_status, program_report_submit
from opora.programs.views import program_in_scope
from opora.programs.workflow import TRANSITIONS, program_approve, program_return, program_submit
from opora.territory.models import Region

WEB = AuditEntry.Source.WEB


@login_required
def program_review(request: HttpRequest, program_id: int) -> HttpResponse:
    """The review status with its history; the buttons each side may use."""
    program = program_in_scope(request, program_id)
    can_edit = can_edit_program(request.user, program)
    can_review = can_review_program(request.user, program)
    reviewed = program.level != ProgramLevel.REGION
    moves = TRANSITIONS.get(program.status, frozenset())
    can_submit = can_edit and reviewed and ProgramStatus.SUBMITTED in moves
    can_approve = can_review and ProgramStatus.APPROVED in moves
    can_return = can_review and ProgramStatus.RETURNED in moves
    return_form = ReturnForm(request.POST or None) if can_return else None
    if request.method == "POST":
        action = request.POST.get("action")
        allowed = {"submit": can_submit, "approve": can_approve, "return": can_return}
        if not allowed.get(str(action)):
            raise PermissionDenied("Недостаточно прав для этого действия.")
        try:
            if action == "submit":
                program_submit(actor=request.user, program=program, source=WEB)
                messages.success(request, "Программа отправлена на рассмотрение.")
            elif action == "approve":
                program_approve(
                    actor=request.user,
                    program=program,
                    comment=request.POST.get("comment", ""),
                    source=WEB,
                )
                messages.success(request, "Программа утверждена.")
            else:
                assert return_form is not None
                if not return_form.is_valid():
                    raise ValidationError("Укажите, что нужно доработать.")
                program_return(
                    actor=request.user,
                    program=program,
                    comment=return_form.cleaned_data["comment"],
                    source=WEB,
                )
                messages.success(request, "Программа возвращена на доработку.")
        except ValidationError as error:
            if return_form is not None:
                add_service_errors(return_form, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            return redirect("programs:review", program_id=program.pk)
    history = [entry for entry in audit_entries_for([program]) if "status" in entry.changes]
    return render(
        request,
        "programs/review.html",
        {
            "program": program,
            "reviewed": reviewed,
            "can_submit": can_submit,
            "can_approve": can_approve,
            "return_form": return_form,
            "history": history,
            "returned": Activity.objects.filter(track__program=program, needs_rework=True),
            "status_labels": dict(ProgramStatus.choices),
        },
    )


@login_required
def program_reports(request: HttpRequest, program_id: int) -> HttpResponse:
    """The periods the program reports on, its reports, and the form to send one."""
    program = program_in_scope(request, program_id)
    can_edit = can_edit_program(request.user, program)
    periods = ReportingPeriod.objects.filter(region=program.region, level=program.level)
    reported = {r.period_id: r for r in ProgramReport.objects.filter(program=program)}
    today = clock.today()
    open_periods = periods.filter(opens_on__lte=today).exclude(pk__in=list(reported))
    form = ReportForm(request.POST or None, periods=open_periods) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Отчитываться по программе может только её уровень.")
        assert form is not None
        if form.is_valid():
            try:
                program_report_submit(
                    actor=request.user,
                    program=program,
                    period=form.cleaned_data["period"],
                    comment=form.cleaned_data["comment"],
                    today=today,
                    source=WEB,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Отчёт отправлен.")
                return redirect("programs:reports", program_id=program.pk)
    rows = [(p, reported.get(p.pk)) for p in periods]
    return render(
        request,
        "programs/program_reports.html",
        {"program": program, "rows": rows, "form": form, "today": today},
    )


@login_required
def reporting(request: HttpRequest) -> HttpResponse:
    """Reporting periods of the regions in scope; the region opens new ones here."""
    if not user_can(request.user, PROGRAM_VIEW):
        raise PermissionDenied("Нет доступа к программам")
    regions = objects_for(request.user, PROGRAM_VIEW, Region)
    review_scope = scope_of(request.user, PROGRAM_REVIEW)
    own = (
        Region.objects.all()
        if review_scope.everything
        else Region.objects.filter(pk__in=review_scope.region_ids)
    )
    form = PeriodForm(request.POST or None, regions=own) if own.exists() else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Открывать отчётные периоды может региональный администратор.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                period = period_create(actor=request.user, source=WEB, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Отчётный период открыт.")
                return redirect("programs:reporting-period", reportingperiod_id=period.pk)
    periods = objects_for(request.user, PROGRAM_VIEW, ReportingPeriod).filter(region__in=regions)
    return render(
        request,
        "programs/reporting.html",
        {"periods": periods.select_related("region"), "form": form},
    )


@login_required
def reporting_period(request: HttpRequest, reportingperiod_id: int) -> HttpResponse:
    """Per municipality and school: who has reported for the period, who has not, how late."""
    period = object_for(request.user, PROGRAM_VIEW, ReportingPeriod, pk=reportingperiod_id)
    today = clock.today()
    groups = period_status(request.user, period, today)
    return render(
        request,
        "programs/reporting_period.html",
        {
            "period": period,
            "groups": groups,
            "today": today,
            "missing": sum(g.missing for g in groups),
            "total": sum(len(g.rows) for g in groups),
        },
    )
