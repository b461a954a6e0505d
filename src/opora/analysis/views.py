"""Registry pages: the registry of a run with filters, the objectivity list and the exports.

Thin: authorise → one selector → render. Without a run the pages say how to make one.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.policy import object_for, user_can
from opora.analysis import charts, selectors
from opora.analysis.exporters import render_registry
from opora.analysis.forms import RegistryFilterForm
from opora.analysis.models import AnalysisRun
from opora.analysis.selectors import EDIT, VIEW
from opora.assessment.charts import chart_html

PAGE_SIZE = 100


def _require_view(request: HttpRequest) -> None:
    if not user_can(request.user, VIEW):
        raise PermissionDenied("Нет доступа к результатам анализа")


def _registry_page(request: HttpRequest, run: AnalysisRun | None) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {
        "run": run,
        "runs": selectors.runs_for(user)[:50],
        "can_edit": user_can(user, EDIT),
    }
    if run is not None:
        form = RegistryFilterForm(
            request.GET or None, municipalities=selectors.filter_municipalities(user, run)
        )
        lines = selectors.registry_lines(user, run, form.filters())
        page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
        chart = charts.registry_spec(charts.registry_counts(lines))
        context.update(
            form=form,
            page=page,
            chart=chart_html(chart, label="Школы реестра по муниципалитетам", name="registry")
            if chart
            else None,
            clusters=selectors.CLUSTER_LABELS,
            query=request.GET.copy(),
        )
    template = "analysis/registry.html"
    if getattr(request, "htmx", False) and run is not None:
        template = "analysis/includes/registry_table.html"
    return render(request, template, context)


@login_required
def registry(request: HttpRequest) -> HttpResponse:
    """The registry of the run asked for (`?run=`), else of the official or latest run."""
    _require_view(request)
    run = selectors.run_for(request.user, request.GET.get("run")) or selectors.default_run(
        request.user
    )
    return _registry_page(request, run)


@login_required
def run_registry(request: HttpRequest, analysisrun_id: int) -> HttpResponse:
    """The registry of one run."""
    run = object_for(request.user, VIEW, selectors.runs_for(request.user), pk=analysisrun_id)
    return _registry_page(request, run)


@login_required
def run_export(request: HttpRequest, analysisrun_id: int, fmt: str) -> HttpResponse:
    """The registry of a run as XLSX or CSV, with the lines the user may see."""
    run = object_for(request.user, VIEW, selectors.runs_for(request.user), pk=analysisrun_id)
    lines = selectors.registry_lines(request.user, run, selectors.RegistryFilters())
    filename, mimetype, content = render_registry(run, list(lines), fmt)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def objectivity_list(request: HttpRequest) -> HttpResponse:
    """Schools with signs of non-objectivity in a run, with the evidence."""
    _require_view(request)
    user = request.user
    run = selectors.run_for(user, request.GET.get("run")) or selectors.default_run(user)
    persistent = request.GET.get("persistent") == "1"
    lines = selectors.objectivity_lines(user, run, persistent) if run is not None else []
    return render(
        request,
        "analysis/objectivity_list.html",
        {
            "run": run,
            "runs": selectors.runs_for(user)[:50],
            "lines": lines,
            "persistent": persistent,
        },
    )
