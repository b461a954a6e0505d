from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from opora.analysis.models import AnalysisRun, Methodology
from opora.core.admin_audit import AuditedModelAdmin


@admin.register(Methodology)
class MethodologyAdmin(AuditedModelAdmin):
    list_display = ["name", "version", "region", "status", "approved_year", "created_at"]
    list_filter = ["status", "region"]
    search_fields = ["name"]
    readonly_fields = ["document", "approved_by", "approved_at", "created_by", "parent"]


@admin.register(AnalysisRun)
class AnalysisRunAdmin(admin.ModelAdmin):
    """Runs are written by `run_analysis_for` only; the admin shows them."""

    list_display = [
        "id",
        "region",
        "methodology_name",
        "methodology_version",
        "year",
        "is_official",
        "status",
        "started_at",
    ]
    list_filter = ["status", "is_official", "year", "region"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
