"""Admin: reference data is editable (and audited); results and batches are read-only here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from opora.assessment.models import (
    ImportBatch,
    Procedure,
    ReferenceValue,
    SchoolResultAggregate,
    StudentResult,
    Subject,
)
from opora.core.admin_audit import AuditedModelAdmin


@admin.register(Procedure)
class ProcedureAdmin(AuditedModelAdmin):
    list_display = ["code", "short_name", "name", "result_kind", "grades", "order"]
    search_fields = ["code", "name", "short_name"]


@admin.register(Subject)
class SubjectAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]


@admin.register(ReferenceValue)
class ReferenceValueAdmin(AuditedModelAdmin):
    list_display = [
        "year",
        "procedure",
        "subject",
        "min_score",
        "min_score_admission",
        "high_score",
        "max_primary_score",
        "mark_scale",
    ]
    list_filter = ["year", "procedure"]
    search_fields = ["subject__name", "source"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by imports: change them by importing or rolling back a batch."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "created_at",
        "actor_name",
        "file_name",
        "format",
        "rows_written",
        "status",
    ]
    list_filter = ["status", "format"]


@admin.register(StudentResult)
class StudentResultAdmin(ReadOnlyAdmin):
    list_display = [
        "year",
        "procedure",
        "subject",
        "school",
        "grade",
        "class_label",
        "mark",
        "test_score",
        "medal",
        "controlled",
    ]
    list_filter = ["year", "procedure", "medal", "controlled"]
    list_select_related = ["school", "procedure", "subject"]
    show_full_result_count = False


@admin.register(SchoolResultAggregate)
class SchoolResultAggregateAdmin(ReadOnlyAdmin):
    list_display = ["year", "procedure", "subject", "grade", "school", "participants"]
    list_filter = ["year", "procedure"]
