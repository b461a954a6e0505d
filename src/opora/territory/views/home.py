"""The home page: a dashboard of what the user's roles give access to."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.policy import objects_for, user_can
from opora.accounts.roles import ROLE_LEVEL, Capability, Level
from opora.territory.models import Region
from opora.territory.selectors import region_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Links by role: the region overview, own municipalities, own school; and region totals."""
    user: Any = request.user
    memberships = list(
        user.memberships.select_related("region", "municipality__region", "school__municipality")
    )
    entries = [(m, ROLE_LEVEL.get(m.role)) for m in memberships]
    regions = [m.region for m, level in entries if level == Level.REGION and m.region]
    if user.is_superuser and not regions:
        regions = list(objects_for(user, Capability.TERRITORY_VIEW, Region)[:5])
    region = regions[0] if regions else None
    overview = region_overview(user, region) if region is not None else None
    return render(
        request,
        "territory/home.html",
        {
            "memberships": [m for m, _ in entries],
            "regions": regions,
            "region": region,
            "overview": overview,
            "can_view_schools": user_can(user, Capability.SCHOOL_VIEW),
            "can_audit": user_can(user, Capability.AUDIT_VIEW),
            "level": Level,
        },
    )
