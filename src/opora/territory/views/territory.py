"""Region and municipality overviews: municipalities, settlements and school figures."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.policy import object_for, objects_for, user_can
from opora.accounts.roles import Capability
from opora.territory.models import Municipality, Region, School, Settlement
from opora.territory.selectors import area_overview, municipality_schools, region_overview


@login_required
def region_detail(request: HttpRequest, region_id: int) -> HttpResponse:
    """Municipalities of a region with counts of schools, students, teachers and rural shares."""
    region = object_for(request.user, Capability.TERRITORY_VIEW, Region, pk=region_id)
    return render(
        request,
        "territory/region_detail.html",
        {
            "region": region,
            "overview": region_overview(request.user, region),
            "can_view_schools": user_can(request.user, Capability.SCHOOL_VIEW),
        },
    )


@login_required
def municipality_detail(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """A municipality: its kind, settlements, figures and schools."""
    user = request.user
    municipality = object_for(
        user,
        Capability.TERRITORY_VIEW,
        Municipality.objects.select_related("region"),
        pk=municipality_id,
    )
    overview = area_overview(
        user, objects_for(user, Capability.TERRITORY_VIEW, Municipality).filter(pk=municipality.pk)
    )
    viewable = set(
        objects_for(user, Capability.SCHOOL_VIEW, School)
        .filter(municipality=municipality)
        .values_list("pk", flat=True)
    )
    settlements = objects_for(user, Capability.TERRITORY_VIEW, Settlement).filter(
        municipality=municipality
    )
    return render(
        request,
        "territory/municipality_detail.html",
        {
            "municipality": municipality,
            "figures": overview.total,
            "latest_year": overview.latest_school_year,
            "settlements": settlements.order_by("name", "id"),
            "schools": municipality_schools(user, municipality),
            "viewable_ids": viewable,
            "can_view_region": user_can(user, Capability.TERRITORY_VIEW, municipality.region),
        },
    )
