"""The school list, the school card and the edit pages of a school."""

import copy
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from opora.accounts.policy import object_for, objects_for, user_can
from opora.accounts.roles import Capability
from opora.core.models import AuditEntry
from opora.territory import services
from opora.territory.forms import SchoolFilterForm, SchoolForm, SnapshotForm, apply_service_errors
from opora.territory.models import School, SchoolSnapshot
from opora.territory.selectors import (
    SORTS,
    dynamics,
    filter_municipalities,
    history_entries,
    recent_snapshots,
    school_year_display,
    with_changes,
)
from opora.territory.selectors import (
    school_list as select_schools,
)

PAGE_SIZE = 50
CARD_HISTORY_SIZE = 30


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    """Schools in scope with search, filters, sorting and pagination; htmx gets the table only."""
    user = request.user
    if not user_can(user, Capability.SCHOOL_VIEW):
        raise PermissionDenied("Нет доступа к списку школ")
    form = SchoolFilterForm(request.GET or None, municipalities=filter_municipalities(user))
    filters = form.filters()
    page = Paginator(select_schools(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "sort_links": _sort_links(filters.sort),
        # one reverse() instead of one per row; the card URL is this prefix plus the id
        "card_prefix": reverse("school-list"),
    }
    template = "territory/school_list.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        template = "territory/includes/school_table.html"
    return render(request, template, context)


def _sort_links(current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the sort a click sets, and the arrow of the current sort."""
    links = {}
    for key in SORTS:
        if current == key:
            links[key] = {"next": f"-{key}", "arrow": "▲", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"next": key, "arrow": "▼", "aria": "descending"}
        else:
            links[key] = {"next": key, "arrow": "", "aria": ""}
    return links


@login_required
def school_card(request: HttpRequest, school_id: int) -> HttpResponse:
    """The full card of a school, its context over the last three years and its history."""
    user = request.user
    school = object_for(
        user,
        Capability.SCHOOL_VIEW,
        School.objects.select_related("municipality__region", "settlement"),
        pk=school_id,
    )
    years, groups = dynamics(recent_snapshots(school))
    can_edit = user_can(user, Capability.SCHOOL_EDIT, school)
    can_audit = user_can(user, Capability.AUDIT_VIEW, school)
    rows = []
    if can_audit:
        rows = with_changes(history_entries(user, school=school)[:CARD_HISTORY_SIZE])
    next_year = (years[-1].year + 1) if years else dt.date.today().year
    return render(
        request,
        "territory/school_card.html",
        {
            "school": school,
            "years": years,
            "groups": groups,
            "can_edit": can_edit,
            "can_audit": can_audit,
            "history_rows": rows,
            "next_year": min(next_year, settings.OPORA_MAX_YEAR),
            "next_school_year": school_year_display(min(next_year, settings.OPORA_MAX_YEAR)),
        },
    )


@login_required
def school_edit(request: HttpRequest, school_id: int) -> HttpResponse:
    """Edit the stable card of a school through `school_update`."""
    user = request.user
    school = object_for(
        user, Capability.SCHOOL_EDIT, School.objects.select_related("municipality"), pk=school_id
    )
    if request.method == "POST":
        form = SchoolForm(request.POST, instance=copy.copy(school))
        if form.is_valid():
            try:
                status = services.school_update(
                    actor=user, school=school, data=form.cleaned_data, source=AuditEntry.Source.WEB
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                _report(request, status, "Карточка школы сохранена.")
                return redirect("school-card", school_id=school.pk)
    else:
        form = SchoolForm(instance=school)
    return render(request, "territory/school_edit.html", {"school": school, "form": form})


@login_required
def snapshot_edit(request: HttpRequest, school_id: int, year: int) -> HttpResponse:
    """Create or edit the yearly context of a school through `snapshot_upsert`."""
    user = request.user
    school = object_for(user, Capability.SCHOOL_EDIT, School, pk=school_id)
    if not settings.OPORA_MIN_YEAR <= year <= settings.OPORA_MAX_YEAR:
        raise Http404("Год вне допустимого диапазона")
    existing = (
        objects_for(user, Capability.SCHOOL_EDIT, SchoolSnapshot)
        .filter(school=school, year=year)
        .first()
    )
    instance = existing or SchoolSnapshot(school=school, year=year)
    if request.method == "POST":
        form = SnapshotForm(request.POST, instance=copy.copy(instance))
        if form.is_valid():
            try:
                _, status = services.snapshot_upsert(
                    actor=user,
                    school=school,
                    year=year,
                    data=form.cleaned_data,
                    source=AuditEntry.Source.WEB,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                _report(request, status, "Данные за год сохранены.")
                return redirect("school-card", school_id=school.pk)
    else:
        form = SnapshotForm(instance=instance)
    return render(
        request,
        "territory/snapshot_edit.html",
        {"school": school, "form": form, "snapshot": instance, "creating": existing is None},
    )


def _report(request: HttpRequest, status: str, saved: str) -> None:
    if status == services.WriteStatus.UNCHANGED:
        messages.info(request, "Изменений нет — сохранять нечего.")
    else:
        messages.success(request, saved)
