from django.contrib import admin

from opora.core.admin_audit import AuditedModelAdmin
from opora.territory.models import Municipality, Region, School, SchoolSnapshot, Settlement


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["code", "name"]


@admin.register(Settlement)
class SettlementAdmin(AuditedModelAdmin):
    list_display = ["name", "municipality", "population", "population_band", "is_urban"]
    list_filter = ["population_band", "is_urban"]
    search_fields = ["name"]


class SnapshotInline(admin.StackedInline):
    model = SchoolSnapshot
    extra = 0


@admin.register(School)
class SchoolAdmin(AuditedModelAdmin):
    list_display = ["code", "short_name", "school_type", "municipality", "is_urban", "is_active"]
    list_filter = ["school_type", "is_urban", "municipality"]
    search_fields = ["code", "short_name", "full_name", "inn"]
    autocomplete_fields = ["municipality", "settlement"]
    inlines = [SnapshotInline]
