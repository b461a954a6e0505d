"""Support pages: an overview, and per section a list, a new object, an object page (its form
when the user may change it) and deletion. Thin: authorise → selector or form/service → render.

An object is found in the user's SUPPORT_VIEW scope (404 otherwise); a POST that changes it
needs the right over its owner territory (403 otherwise).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import object_for, user_can
from opora.core.audit import audit_entries_for
from opora.core.models import AuditEntry
from opora.support.choices import EventKind, EventLevel
from opora.support.models import PartnerPair
from opora.support.permissions import SUPPORT_VIEW, can_create, can_edit, edit_capability
from opora.support.sections import SECTIONS, Section
from opora.support.selectors import (
    event_filters,
    event_years,
    section_counts,
    section_objects,
    visible_school_ids,
)
from opora.support.services import support_delete

WEB = AuditEntry.Source.WEB


def _require_view(request: HttpRequest) -> None:
    if not user_can(request.user, SUPPORT_VIEW):
        raise PermissionDenied("Нет доступа к структуре поддержки")


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    return render(request, "support/overview.html", {"counts": section_counts(request.user)})


@login_required
def section_list(request: HttpRequest, section: str) -> HttpResponse:
    _require_view(request)
    spec = SECTIONS[section]
    objects = section_objects(request.user, spec)
    filters: dict[str, Any] = {}
    if spec.slug == "events":
        objects = event_filters(objects, request.GET)
        filters = {
            "years": event_years(request.user),
            "kinds": EventKind.choices,
            "levels": EventLevel.choices,
            "current": request.GET,
        }
    visible = visible_school_ids(request.user)
    rows = [(obj, [render_(obj, visible) for _, render_ in spec.columns]) for obj in objects]
    return render(
        request,
        "support/list.html",
        {
            "section": spec,
            "rows": rows,
            "headers": [h for h, _ in spec.columns],
            "can_create": can_create(request.user, spec.model),
            "filters": filters,
        },
    )


def _save(request: HttpRequest, spec: Section, form: Any) -> Any:
    if not form.is_valid():
        return None
    if not can_edit(request.user, form.instance):
        form.add_error(None, "Эта территория вне вашей зоны ответственности.")
        return None
    try:
        return form.save_with(actor=request.user, source=WEB)
    except ValidationError as error:
        _add_errors(form, error)
        return None


@login_required
def section_new(request: HttpRequest, section: str) -> HttpResponse:
    spec = SECTIONS[section]
    if not user_can(request.user, edit_capability(spec.model)):
        raise PermissionDenied("Недостаточно прав для этого раздела.")
    if not can_create(request.user, spec.model):
        # Curators are assigned by the region: others see why there is no form.
        if request.method == "POST":
            raise PermissionDenied("Кураторов назначает регион.")
        return render(request, "support/form.html", {"section": spec, "form": None, "obj": None})
    form = spec.form(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        saved = _save(request, spec, form)
        if saved is not None:
            messages.success(request, "Сохранено.")
            return redirect(f"support:{spec.slug}")
    return render(request, "support/form.html", {"section": spec, "form": form, "obj": None})


def _object(request: HttpRequest, spec: Section, pk: int) -> Any:
    base = spec.queryset(spec.model._default_manager.all())
    return object_for(request.user, SUPPORT_VIEW, base, pk=pk)


@login_required
def section_object(request: HttpRequest, section: str, **kwargs: int) -> HttpResponse:
    """The object: its form for those who may change it, its fields and history for others."""
    spec = SECTIONS[section]
    obj = _object(request, spec, kwargs[spec.kwarg])
    editable = can_edit(request.user, obj)
    form = (
        spec.form(request.POST or None, request.FILES or None, instance=obj, user=request.user)
        if editable
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Изменять этот объект может только его территория.")
        if _save(request, spec, form) is not None:
            messages.success(request, "Сохранено.")
            return redirect(f"support:{spec.slug}")
    visible = visible_school_ids(request.user)
    return render(
        request,
        "support/form.html",
        {
            "section": spec,
            "form": form,
            "obj": obj,
            "fields": [(h, render_(obj, visible)) for h, render_ in spec.columns],
            "history": list(audit_entries_for([obj])[:20]),
            "editable": editable,
        },
    )


@login_required
def section_delete(request: HttpRequest, section: str, **kwargs: int) -> HttpResponse:
    spec = SECTIONS[section]
    obj = _object(request, spec, kwargs[spec.kwarg])
    editable = can_edit(request.user, obj)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Удалять этот объект может только его территория.")
        if request.POST.get("confirm") == "yes":
            support_delete(actor=request.user, instance=obj, source=WEB)
            messages.success(request, "Удалено.")
            return redirect(f"support:{spec.slug}")
    return render(
        request, "support/delete.html", {"section": spec, "obj": obj, "editable": editable}
    )


@login_required
def agreement_download(request: HttpRequest, partnerpair_id: int) -> FileResponse:
    """The agreement file of a partner pair (scoped like the pair)."""
    pair = object_for(request.user, SUPPORT_VIEW, PartnerPair, pk=partnerpair_id)
    if not pair.agreement_file:
        raise Http404("Файла соглашения нет")
    name = (pair.agreement_file.name or "").rsplit("/", 1)[-1]
    return FileResponse(pair.agreement_file.open("rb"), as_attachment=True, filename=name)
