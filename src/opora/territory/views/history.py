"""The change history page: audit entries of registry objects in the user's scope."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.policy import objects_for, user_can
from opora.accounts.roles import Capability
from opora.territory.models import School
from opora.territory.selectors import history_entries, with_changes

PAGE_SIZE = 50


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """Audit entries, newest first, filtered by one school or a name/code search."""
    user = request.user
    if not user_can(user, Capability.AUDIT_VIEW):
        raise PermissionDenied("Нет доступа к журналу изменений")
    school = None
    school_id = request.GET.get("school", "")
    if school_id.isdigit():
        school = objects_for(user, Capability.AUDIT_VIEW, School).filter(pk=school_id).first()
    q = request.GET.get("q", "").strip()[:200]
    entries = history_entries(user, school=school, search="" if school else q)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "territory/history.html",
        {"page": page, "rows": with_changes(page.object_list), "school": school, "q": q},
    )
