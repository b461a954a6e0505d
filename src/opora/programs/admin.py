"""Admin of programs. Deleted programs and tracks are listed here (filter «удалено») and
restored with the action «Восстановить»; every change is audited."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from opora.core.admin_audit import AuditedModelAdmin
from opora.core.models import AuditEntry
from opora.programs.deletion import program_restore, track_restore
from opora.programs.models import (
    Activity,
    ActivityEvidence,
    BudgetLine,
    Program,
    ProgramReport,
    ProgramTarget,
    ReportingPeriod,
    TargetStatusRule,
    TargetValue,
    Track,
)


class DeletedFilter(admin.SimpleListFilter):
    title = "удаление"
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "действующие"), ("yes", "удалённые")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class SoftDeletedAdmin(AuditedModelAdmin):
    """Lists deleted rows too, and restores them."""

    actions = ["restore"]
    restore_service: Any = None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.model.all_objects.all()

    @admin.action(description="Восстановить удалённое")
    def restore(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        restored = 0
        for obj in queryset.filter(deleted_at__isnull=False):
            kwargs = {str(self.opts.model_name): obj}
            type(self).restore_service(actor=request.user, source=AuditEntry.Source.ADMIN, **kwargs)
            restored += 1
        messages.success(request, f"Восстановлено: {restored}.")


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    fields = ["position", "name", "deleted_at"]
    readonly_fields = ["deleted_at"]


@admin.register(Program)
class ProgramAdmin(SoftDeletedAdmin):
    restore_service = program_restore
    list_display = [
        "name",
        "kind",
        "region",
        "municipality",
        "school",
        "period_start_year",
        "status",
        "deleted_at",
    ]
    list_filter = [DeletedFilter, "level", "kind", "status", "region"]
    search_fields = ["name"]
    raw_id_fields = ["municipality", "school", "deleted_by"]
    readonly_fields = ["deleted_at", "deleted_by"]
    inlines = [TrackInline]


@admin.register(Track)
class TrackAdmin(SoftDeletedAdmin):
    restore_service = track_restore
    list_display = ["name", "program", "position", "deleted_at"]
    list_filter = [DeletedFilter]
    search_fields = ["name", "program__name"]
    raw_id_fields = ["program", "deleted_by"]
    readonly_fields = ["deleted_at", "deleted_by"]


class EvidenceInline(admin.TabularInline):
    model = ActivityEvidence
    extra = 0
    raw_id_fields = ["uploaded_by"]


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "track", "deadline_text", "deadline_end", "status"]
    list_filter = ["status", "deadline_kind", "needs_rework"]
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
    list_display = ["__str__", "program", "unit", "direction", "baseline_value"]
    search_fields = ["name", "indicator_code"]
    raw_id_fields = ["program"]
    inlines = [TargetValueInline]


@admin.register(TargetStatusRule)
class TargetStatusRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "on_track_share", "no_baseline_tolerance", "is_default"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(AuditedModelAdmin):
    list_display = ["name", "region", "level", "opens_on", "due_on"]
    list_filter = ["level", "region"]


@admin.register(ProgramReport)
class ProgramReportAdmin(AuditedModelAdmin):
    list_display = ["program", "period", "submitted_on"]
    raw_id_fields = ["program", "submitted_by"]
    list_filter = ["period"]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedModelAdmin):
    list_display = ["program", "year", "item", "planned", "spent"]
    raw_id_fields = ["program", "track"]
