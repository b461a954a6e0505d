"""Methodology pages: list, detail, copy, edit, run, approve and the comparison of two."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for, objects_for, user_can
from opora.analysis import selectors
from opora.analysis.approval import methodology_approve
from opora.analysis.compare import compare_methodologies
from opora.analysis.forms import (
    KEY_PARAMETERS,
    CompareForm,
    MethodologyCopyForm,
    MethodologyEditForm,
    YearForm,
    get_path,
)
from opora.analysis.models import Methodology
from opora.analysis.selectors import APPROVE, EDIT, RUN, VIEW
from opora.analysis.services import (
    methodology_copy,
    methodology_presets_install,
    methodology_update,
    run_analysis_for,
)
from opora.analytics.methodology import preset_names
from opora.core.models import AuditEntry
from opora.territory.models import Region

WEB = AuditEntry.Source.WEB


def _methodology(request: HttpRequest, capability: str, methodology_id: int) -> Methodology:
    """The methodology in scope for `capability`: 403 without the capability, 404 out of scope."""
    if not user_can(request.user, capability):
        raise PermissionDenied("Недостаточно прав для этого действия с методикой")
    return object_for(request.user, capability, Methodology, pk=methodology_id)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def methodology_list(request: HttpRequest) -> HttpResponse:
    """Methodologies of the user's regions; POST `preset=<name>` installs a shipped preset."""
    user = request.user
    if not user_can(user, VIEW):
        raise PermissionDenied("Нет доступа к методикам")
    regions = objects_for(user, EDIT, Region).order_by("name")
    if request.method == "POST" and request.POST.get("preset") in preset_names():
        region = regions.filter(pk=request.POST.get("region") or 0).first()
        if region is None:
            raise PermissionDenied("Нет права изменять методики этого региона")
        created = methodology_presets_install(region=region, actor=user, source=WEB)
        messages.success(request, f"Добавлено поставляемых методик: {len(created)}.")
        return redirect("analysis:methodologies")
    methodologies = list(selectors.methodologies_for(user))
    installed = {(m.region_id, m.preset) for m in methodologies if m.preset}
    missing = [
        (region, name)
        for region in regions
        for name in preset_names()
        if (region.pk, name) not in installed
    ]
    return render(
        request,
        "analysis/methodology_list.html",
        {"methodologies": methodologies, "missing": missing, "can_edit": bool(regions)},
    )


@login_required
def methodology_detail(request: HttpRequest, methodology_id: int) -> HttpResponse:
    """Key parameters, the whole document, the runs and the actions the user may take."""
    user = request.user
    methodology = object_for(user, VIEW, selectors.methodologies_for(user), pk=methodology_id)
    parameters = []
    for path, label in KEY_PARAMETERS:
        try:
            parameters.append((label, path, get_path(methodology.document, path)))
        except (KeyError, TypeError):
            continue
    return render(
        request,
        "analysis/methodology_detail.html",
        {
            "methodology": methodology,
            "parameters": parameters,
            "document": json.dumps(methodology.document, ensure_ascii=False, indent=1),
            "runs": selectors.methodology_runs(methodology),
            "can_edit": user_can(user, EDIT, methodology),
            "can_run": user_can(user, RUN, methodology),
            "can_approve": user_can(user, APPROVE, methodology),
        },
    )


@login_required
def methodology_copy_view(request: HttpRequest, methodology_id: int) -> HttpResponse:
    """Copy a methodology into a new draft version (or a new name)."""
    methodology = _methodology(request, EDIT, methodology_id)
    form = MethodologyCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = methodology_copy(
                source_methodology=methodology,
                actor=request.user,
                name=form.cleaned_data["name"] or None,
                source=WEB,
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, f"Создан черновик «{copy}».")
            return redirect("analysis:methodology-edit", methodology_id=copy.pk)
    return render(
        request, "analysis/methodology_copy.html", {"methodology": methodology, "form": form}
    )


@login_required
def methodology_edit(request: HttpRequest, methodology_id: int) -> HttpResponse:
    """Edit the parameters of a draft; the document is validated by the schema."""
    methodology = _methodology(request, EDIT, methodology_id)
    form = MethodologyEditForm(request.POST or None, methodology=methodology)
    if request.method == "POST" and methodology.is_editable and form.is_valid():
        try:
            methodology_update(
                methodology=methodology,
                actor=request.user,
                document=form.cleaned_data["parsed"],
                description=form.cleaned_data["description"],
                source=WEB,
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, "Параметры методики сохранены.")
            return redirect("analysis:methodology", methodology_id=methodology.pk)
    return render(
        request, "analysis/methodology_edit.html", {"methodology": methodology, "form": form}
    )


@login_required
def methodology_run(request: HttpRequest, methodology_id: int) -> HttpResponse:
    """Run the analysis with this methodology for a year (inline: seconds for a region)."""
    methodology = _methodology(request, RUN, methodology_id)
    form = YearForm(request.POST or None, years=selectors.result_years(methodology.region_id))
    if request.method == "POST" and form.is_valid():
        try:
            run = run_analysis_for(
                methodology=methodology,
                year=form.cleaned_data["year"],
                actor=request.user,
                source=WEB,
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, f"Анализ выполнен: {run}.")
            return redirect("analysis:run", analysisrun_id=run.pk)
    return render(
        request,
        "analysis/methodology_action.html",
        {"methodology": methodology, "form": form, "action": "run"},
    )


@login_required
def methodology_approve_view(request: HttpRequest, methodology_id: int) -> HttpResponse:
    """Approve for a year: the run of this methodology becomes the official registry."""
    methodology = _methodology(request, APPROVE, methodology_id)
    form = YearForm(request.POST or None, years=selectors.result_years(methodology.region_id))
    if request.method == "POST" and form.is_valid():
        try:
            run = methodology_approve(
                methodology=methodology,
                year=form.cleaned_data["year"],
                actor=request.user,
                source=WEB,
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                f"Методика «{methodology}» утверждена на {run.year} год; реестр запуска "
                f"№{run.pk} стал официальным.",
            )
            return redirect("analysis:run", analysisrun_id=run.pk)
    return render(
        request,
        "analysis/methodology_action.html",
        {"methodology": methodology, "form": form, "action": "approve"},
    )


@login_required
def methodology_compare(request: HttpRequest) -> HttpResponse:
    """Two methodologies on the same data: who enters and leaves each list, reasons side by side."""
    user = request.user
    if not user_can(user, EDIT):
        raise PermissionDenied("Нет права сравнивать методики")
    methodologies = objects_for(user, EDIT, Methodology).order_by("name", "-created_at")
    region_ids = set(methodologies.values_list("region_id", flat=True))
    years = sorted({y for r in region_ids for y in selectors.result_years(r)}, reverse=True)
    form = CompareForm(request.GET or None, methodologies=methodologies, years=years)
    comparison = None
    error = None
    if form.is_bound and form.is_valid():
        try:
            comparison = compare_methodologies(
                form.cleaned_data["a"], form.cleaned_data["b"], form.cleaned_data.get("year")
            )
        except (ValidationError, ValueError) as exc:
            error = _errors(exc) if isinstance(exc, ValidationError) else str(exc)
    return render(
        request,
        "analysis/methodology_compare.html",
        {"form": form, "comparison": comparison, "error": error},
    )
