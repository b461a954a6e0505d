from typing import Any

from django.contrib import admin

from opora.core.admin_audit import AuditedModelAdmin
from opora.programs.models import (
    Activity,
    ActivityEvidence,
    Program,
    ProgramTarget,
    TargetValue,
    Track,
)


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    fields = ["position", "name"]


@admin.register(Program)
class ProgramAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "kind",
        "region",
        "municipality",
        "school",
        "period_start_year",
        "status",
    ]
    list_filter = ["level", "kind", "status", "region"]
    search_fields = ["name"]
    raw_id_fields = ["municipality", "school"]
    inlines = [TrackInline]


class EvidenceInline(admin.TabularInline):
    model = ActivityEvidence
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "track", "deadline_text", "deadline_end", "status"]
    list_filter = ["status", "deadline_kind"]
    search_fields = ["name", "number", "responsible_org"]
    raw_id_fields = ["track", "responsible_user"]
    readonly_fields = ["version"]
    inlines = [EvidenceInline]

    def save_model(self, request: Any, obj: Activity, form: Any, change: bool) -> None:
        """An admin change is a new version too, so an open edit form notices it."""
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


class TargetValueInline(admin.TabularInline):
    model = TargetValue
    extra = 0


@admin.register(ProgramTarget)
class ProgramTargetAdmin(AuditedModelAdmin):
    list_display = ["__str__", "program", "unit", "baseline_value"]
    search_fields = ["name", "indicator_code"]
    raw_id_fields = ["program"]
    inlines = [TargetValueInline]
