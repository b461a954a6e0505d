"""A ModelAdmin base that records every admin change in the audit trail."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Changes made in the Django admin land in the audit trail like any other write."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot_fields(stored) if stored is not None else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                instance=obj,
                action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
                before=before,
                after=snapshot_fields(obj),
                source=AuditEntry.Source.ADMIN,
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                instance=obj,
                action=AuditEntry.Action.DELETE,
                before=snapshot_fields(obj),
                after=None,
                source=AuditEntry.Source.ADMIN,
            )
            super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        model = formset.model
        stored_ids = [f.instance.pk for f in formset.forms if f.instance.pk is not None]
        befores = {
            obj.pk: snapshot_fields(obj) for obj in model._default_manager.filter(pk__in=stored_ids)
        }
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                audit_record(
                    actor=request.user,
                    instance=obj,
                    action=AuditEntry.Action.CREATE,
                    before=None,
                    after=snapshot_fields(obj),
                    source=AuditEntry.Source.ADMIN,
                )
            for obj, _fields in formset.changed_objects:
                audit_record(
                    actor=request.user,
                    instance=obj,
                    action=AuditEntry.Action.UPDATE,
                    before=befores.get(obj.pk),
                    after=snapshot_fields(obj),
                    source=AuditEntry.Source.ADMIN,
                )
            for obj in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    instance=obj,
                    action=AuditEntry.Action.DELETE,
                    before=befores.get(obj.pk),
                    after=None,
                    source=AuditEntry.Source.ADMIN,
                )

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)
