"""The results pages: a school's «Результаты» tab, a municipality's and a region's results."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.policy import object_for, objects_for, user_can
from opora.accounts.roles import Capability
from opora.assessment.disclosure import public_n_min
from opora.assessment.forms import ResultFilterForm, parse_filters
from opora.assessment.result_pages import (
    ResultsPage,
    municipality_unit,
    region_unit,
    results_page,
    school_unit,
)
from opora.territory.models import Municipality, Region, School


def _context(request: HttpRequest, page: ResultsPage, **extra: Any) -> dict[str, Any]:
    filters = parse_filters(request.GET)
    return {
        "page": page,
        "detail": page.detail,
        "form": ResultFilterForm(filters=filters, page=page),
        "filtered": bool(filters.procedure or filters.subject or filters.grade),
        "n_min": public_n_min(),
        **extra,
    }


@login_required
def results_home(request: HttpRequest) -> HttpResponse:
    """Where the user's results are: region, municipalities, schools; upload and history."""
    user = request.user
    if not user_can(user, Capability.TERRITORY_VIEW):
        raise PermissionDenied("Нет доступа к результатам")
    regions = objects_for(user, Capability.TERRITORY_VIEW, Region).order_by("name")
    municipalities = objects_for(user, Capability.RESULTS_VIEW, Municipality).select_related(
        "region"
    )
    schools = objects_for(user, Capability.RESULTS_VIEW, School).select_related("municipality")
    return render(
        request,
        "assessment/home.html",
        {
            "regions": regions,
            "municipalities": municipalities.order_by("name")[:100],
            "schools": schools.order_by("short_name")[:50],
            "school_count": schools.count(),
            "can_import": user_can(user, Capability.RESULTS_IMPORT),
        },
    )


@login_required
def school_results(request: HttpRequest, school_id: int) -> HttpResponse:
    """The «Результаты» tab of a school card."""
    user = request.user
    if not user_can(user, Capability.RESULTS_VIEW):
        raise PermissionDenied("Нет доступа к результатам школ")
    school = object_for(
        user,
        Capability.RESULTS_VIEW,
        School.objects.select_related("municipality__region"),
        pk=school_id,
    )
    page = results_page(user, school_unit(school), parse_filters(request.GET))
    return render(
        request,
        "assessment/school_results.html",
        _context(
            request,
            page,
            school=school,
            can_audit=user_can(user, Capability.AUDIT_VIEW, school),
        ),
    )


@login_required
def municipality_results(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """Results of a municipality against the region, and its schools per group."""
    user = request.user
    municipality = object_for(
        user,
        Capability.TERRITORY_VIEW,
        Municipality.objects.select_related("region"),
        pk=municipality_id,
    )
    page = results_page(user, municipality_unit(municipality), parse_filters(request.GET))
    return render(
        request,
        "assessment/area_results.html",
        _context(request, page, area=municipality, region=municipality.region),
    )


@login_required
def region_results(request: HttpRequest, region_id: int) -> HttpResponse:
    """Results of a region, and its municipalities per group."""
    user = request.user
    region = object_for(user, Capability.TERRITORY_VIEW, Region, pk=region_id)
    page = results_page(user, region_unit(region), parse_filters(request.GET))
    return render(
        request, "assessment/area_results.html", _context(request, page, area=region, region=None)
    )
