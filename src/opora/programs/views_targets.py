"""Target indicators of a program: statuses by the rule, target vs actual per year with a chart,
adding a target, typing values, and computing the actual values of library targets."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for
from opora.assessment.charts import chart_html
from opora.core.models import AuditEntry
from opora.programs.actuals import targets_refresh_actuals
from opora.programs.charts import target_chart
from opora.programs.choices import ActualSource
from opora.programs.forms import add_service_errors
from opora.programs.forms_targets import TargetNewForm, TargetYearsForm
from opora.programs.models import Program, ProgramTarget
from opora.programs.permissions import PROGRAM_VIEW, can_edit_program
from opora.programs.targets import (
    TargetRow,
    default_rule,
    target_create,
    target_rows,
    target_year_set,
)
from opora.programs.views import program_in_scope

WEB = AuditEntry.Source.WEB


def charts_script() -> bool:
    """Whether the chart loader and the vendored vega scripts are installed."""
    return all(
        finders.find(path)
        for path in ("opora/charts.js", "vendor/vega/vega-embed.min.js", "vendor/vega/vega.min.js")
    )


def _chart(row: TargetRow) -> str:
    spec = target_chart(row)
    if spec is None:
        return ""
    return chart_html(
        spec, label=f"{row.target}: цель и факт по годам", name=f"target-{row.target.pk}"
    )


def _percent(share: Decimal) -> str:
    return f"{(share * 100).normalize():f}".replace(".", ",")


def _years(program: Program) -> list[int]:
    return list(range(program.period_start_year, program.period_end_year + 1))


@login_required
def program_targets(request: HttpRequest, program_id: int) -> HttpResponse:
    program = program_in_scope(request, program_id)
    can_edit = can_edit_program(request.user, program)
    form = TargetNewForm(request.POST or None, years=_years(program)) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Недостаточно прав для изменения программы.")
        assert form is not None
        if request.POST.get("action") == "refresh":
            changed = targets_refresh_actuals(actor=request.user, programs=[program], source=WEB)
            messages.success(request, f"Фактические значения по данным обновлены: {changed}.")
            return redirect("programs:targets", program_id=program.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                target_create(
                    actor=request.user,
                    program=program,
                    name=data["name"],
                    indicator_code=data["indicator_code"],
                    subject=data["subject"],
                    unit=data["unit"],
                    direction=data["direction"],
                    baseline_year=data["baseline_year"],
                    baseline_value=data["baseline_value"],
                    values=form.values(),
                    source=WEB,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Целевой показатель добавлен.")
                return redirect("programs:targets", program_id=program.pk)
    rule = default_rule()
    rows = target_rows(program, rule)
    return render(
        request,
        "programs/targets.html",
        {
            "program": program,
            "rows": [(row, _chart(row)) for row in rows],
            "rule_share": _percent(rule.on_track_share),
            "rule_tolerance": _percent(rule.no_baseline_tolerance),
            "charts_js": charts_script(),
            "form": form,
            "can_edit": can_edit,
            "computable": any(row.computable for row in rows),
        },
    )


@login_required
def target_edit(request: HttpRequest, programtarget_id: int) -> HttpResponse:
    """Type the target and the actual value of each year."""
    target = object_for(
        request.user,
        PROGRAM_VIEW,
        ProgramTarget.objects.select_related("program"),
        pk=programtarget_id,
    )
    program = target.program
    can_edit = can_edit_program(request.user, program)
    years = list(range(program.period_start_year - 1, program.period_end_year + 1))
    form = TargetYearsForm(request.POST or None, target=target, years=years) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Недостаточно прав для изменения программы.")
        assert form is not None
        if form.is_valid():
            stored = {v.year: v for v in target.values.all()}
            with transaction.atomic():
                for year, value, actual in form.rows():
                    row = stored.get(year)
                    same_actual = row is not None and row.actual_value == actual
                    kind = row.actual_source if same_actual and row else ActualSource.MANUAL
                    if row is not None and row.value == value and same_actual:
                        continue
                    target_year_set(
                        actor=request.user,
                        target=target,
                        year=year,
                        value=value,
                        actual=actual,
                        actual_source=kind or ActualSource.MANUAL,
                        source=WEB,
                    )
            messages.success(request, "Значения показателя сохранены.")
            return redirect("programs:targets", program_id=program.pk)
    return render(
        request,
        "programs/target_edit.html",
        {"program": program, "target": target, "form": form, "years": years},
    )
