"""School tabs of a run: «Риски», «Объективность», «Контекст» and partner suggestions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.policy import object_for
from opora.analysis import charts, selectors
from opora.analysis.choices import ResultKind
from opora.analysis.selectors import VIEW
from opora.analysis.services import labels
from opora.assessment.charts import chart_html
from opora.territory.models import School

TABS = [
    ("analysis:school-risks", "Риски"),
    ("analysis:school-objectivity", "Объективность"),
    ("analysis:school-context", "Контекст"),
    ("analysis:school-partners", "Партнёры"),
]
LEVEL_CLASS = {"высокий": "level-high", "средний": "level-medium", "низкий": "level-low"}


def _school_and_run(request: HttpRequest, school_id: int) -> tuple[School, Any]:
    user = request.user
    school = object_for(
        user, VIEW, School.objects.select_related("municipality__region"), pk=school_id
    )
    runs = selectors.runs_of_school(user, school)
    run = selectors.run_for(user, request.GET.get("run"))
    if run is None or run.region_id != school.municipality.region_id:
        run = runs.first()
    return school, run


def _render(
    request: HttpRequest, template: str, school: School, run: Any, tab: str, **extra: Any
) -> HttpResponse:
    context = {
        "school": school,
        "run": run,
        "runs": selectors.runs_of_school(request.user, school)[:30],
        "tabs": TABS,
        "tab": tab,
        "line": selectors.school_line(request.user, run, school) if run else None,
        **extra,
    }
    return render(request, template, context)


@login_required
def school_risks(request: HttpRequest, school_id: int) -> HttpResponse:
    """The risk profile: each factor with its level, score and the figures behind it."""
    school, run = _school_and_run(request, school_id)
    factors: list[dict[str, Any]] = []
    if run is not None:
        stored = selectors.school_result(request.user, run, school, ResultKind.RISK)
        if stored is not None:
            items = stored.table("items")
            for factor in stored.table("factors"):
                factor["items"] = [i for i in items if i["factor"] == factor["factor"]]
                factor["css"] = LEVEL_CLASS.get(factor["level"], "")
                factors.append(factor)
    return _render(
        request, "analysis/school_risks.html", school, run, "analysis:school-risks", factors=factors
    )


@login_required
def school_objectivity(request: HttpRequest, school_id: int) -> HttpResponse:
    """Signs of non-objectivity by year with the markers' figures."""
    school, run = _school_and_run(request, school_id)
    years: list[dict[str, Any]] = []
    signals: list[dict[str, Any]] = []
    if run is not None:
        stored = selectors.school_result(request.user, run, school, ResultKind.OBJECTIVITY)
        if stored is not None:
            years = sorted(stored.table("schools"), key=lambda r: -r["year"])
            signals = selectors.suppressed(
                sorted(stored.table("signals"), key=lambda r: (-r["year"], r["marker"])),
                selectors.public_n_min(run),
                ("value", "reference"),
            )
    return _render(
        request,
        "analysis/school_objectivity.html",
        school,
        run,
        "analysis:school-objectivity",
        years=years,
        signals=signals,
    )


@login_required
def school_context(request: HttpRequest, school_id: int) -> HttpResponse:
    """Result against what the context predicts, resilience, and similar-school comparisons."""
    school, run = _school_and_run(request, school_id)
    extra: dict[str, Any] = {"context": {}, "social": [], "peers": [], "fit": None}
    if run is not None:
        stored = selectors.school_results(
            request.user,
            run,
            school,
            [ResultKind.CONTEXT, ResultKind.SOCIAL, ResultKind.PEERS],
        )
        if ResultKind.CONTEXT in stored:
            rows = stored[ResultKind.CONTEXT].table("context")
            extra["context"] = rows[0] if rows else {}
        if ResultKind.SOCIAL in stored:
            extra["social"] = sorted(
                stored[ResultKind.SOCIAL].table("social"), key=lambda r: -r["year"]
            )
        if ResultKind.PEERS in stored:
            names = labels()
            rows = [
                {**r, "group": names.group(r["procedure"], r["subject"], r["grade"], r["year"])}
                for r in stored[ResultKind.PEERS].table("peers")
            ]
            extra["peers"] = selectors.suppressed(
                rows,
                selectors.public_n_min(run),
                ("value", "peer_value", "diff", "ci_low", "ci_high"),
            )
        region_id = school.municipality.region_id
        chart = charts.context_spec(charts.context_points(run, region_id, school.pk))
        if chart:
            extra["chart"] = chart_html(
                chart, label="Сводный результат школ региона против ожидаемого", name="context"
            )
        extra["fit"] = next(
            (
                f
                for f in run.fits
                if f.get("year") == run.year and f.get("region_id") == school.municipality.region_id
            ),
            None,
        )
    return _render(
        request, "analysis/school_context.html", school, run, "analysis:school-context", **extra
    )


@login_required
def school_partners(request: HttpRequest, school_id: int) -> HttpResponse:
    """Ranked partner candidates for a school; figures of a partner only for those who see it."""
    school, run = _school_and_run(request, school_id)
    partners: list[dict[str, Any]] = []
    if run is not None:
        stored = selectors.school_result(request.user, run, school, ResultKind.PARTNERS)
        rows = stored.table("partners") if stored is not None else []
        ids = [r["partner_id"] for r in rows]
        names = selectors.schools_by_id(ids)
        visible = selectors.visible_school_ids(request.user, ids)
        for row in sorted(rows, key=lambda r: r["rank"]):
            partner = names.get(row["partner_id"])
            partners.append(
                {
                    **row,
                    "school": partner,
                    "details": row["partner_id"] in visible,
                }
            )
    return _render(
        request,
        "analysis/school_partners.html",
        school,
        run,
        "analysis:school-partners",
        partners=partners,
    )
