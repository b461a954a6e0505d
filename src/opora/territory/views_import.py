"""The registry upload page: check a file, show its errors or a preview, then commit it.

The uploaded file is kept under MEDIA_ROOT/imports/ with a random name known only to the
uploader's session, between the check and the confirmation; it is deleted once committed.
"""

import re
import time
import uuid
from pathlib import Path, PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from opora.accounts.policy import objects_for, user_can
from opora.accounts.roles import Capability
from opora.territory.importers import SCHOOLS_TEMPLATE, SchoolImportResult, import_schools
from opora.territory.models import Region

SESSION_KEY = "registry_import"
ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
STALE_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class RegistryUploadForm(forms.Form):
    """A registry file and the region it belongs to."""

    region = forms.ModelChoiceField(
        label="Регион", queryset=Region.objects.none(), empty_label=None
    )
    file = forms.FileField(label="Файл реестра (XLSX или CSV)")

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        regions = objects_for(user, Capability.REGISTRY_IMPORT, Region)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.only_region = regions.first() if regions.count() == 1 else None
        if self.only_region is not None:
            self.fields["region"].widget = forms.HiddenInput()
            self.fields["region"].initial = self.only_region
            self.fields["region"].required = False

    def clean_region(self) -> Region:
        region = self.cleaned_data.get("region") or self.only_region
        if region is None:
            raise forms.ValidationError("Выберите регион.")
        return region

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("Загрузите файл XLSX или CSV.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Файл больше 20 МБ.")
        return upload


def _require_import(request: HttpRequest) -> None:
    if not user_can(request.user, Capability.REGISTRY_IMPORT):
        raise PermissionDenied("Нет права загружать реестр школ")


def _store_dir() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in directory.glob("*.upload"):
        if now - old.stat().st_mtime > STALE_SECONDS:
            old.unlink(missing_ok=True)
    return directory


@login_required
def registry_template(request: HttpRequest) -> HttpResponse:
    """Serve the XLSX template of the school registry."""
    _require_import(request)
    response = HttpResponse(
        SCHOOLS_TEMPLATE.build(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{SCHOOLS_TEMPLATE.filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def registry_import(request: HttpRequest) -> HttpResponse:
    """Check an uploaded registry file (POST), or confirm a checked one (POST with a token)."""
    _require_import(request)
    if request.method == "POST" and request.POST.get("token"):
        return _commit(request, request.POST["token"])
    form = RegistryUploadForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        region = form.cleaned_data["region"]
        result = import_schools(
            data, upload.name, region_code=region.code, user=request.user, dry_run=True
        )
        context["result"] = result
        if result.ok:
            token = uuid.uuid4().hex
            (_store_dir() / f"{token}.upload").write_bytes(data)
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {"name": upload.name, "region": region.code}
            request.session[SESSION_KEY] = pending
            context["token"] = token
    return render(request, "territory/import/page.html", context)


def _commit(request: HttpRequest, token: str) -> HttpResponse:
    pending: dict[str, dict[str, str]] = request.session.get(SESSION_KEY, {})
    entry = pending.get(token) if TOKEN.match(token) else None
    path = _store_dir() / f"{token}.upload"
    if entry is None or not path.exists():
        messages.error(request, "Проверенный файл не найден или устарел. Загрузите его снова.")
        return redirect("registry-import")
    result = import_schools(
        path.read_bytes(),
        entry["name"],
        region_code=entry["region"],
        user=request.user,
        actor=request.user,
    )
    if not result.ok:
        form = RegistryUploadForm(user=request.user)
        return render(request, "territory/import/page.html", {"form": form, "result": result})
    path.unlink(missing_ok=True)
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    messages.success(request, _summary(result))
    return redirect("registry-import")


def _summary(result: SchoolImportResult) -> str:
    return (
        f"Реестр «{result.file}» загружен: школ новых {result.schools.created}, "
        f"изменено {result.schools.updated}, без изменений {result.schools.unchanged}; "
        f"годовых срезов новых {result.snapshots.created}, изменено {result.snapshots.updated}, "
        f"без изменений {result.snapshots.unchanged}."
    )
