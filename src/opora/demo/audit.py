"""The step that records the generation in the audit trail without thousands of rows."""

from django.contrib.contenttypes.models import ContentType

from opora.core.audit import audit_record, diff, snapshot_fields
from opora.core.models import AuditEntry
from opora.demo.context import DemoContext, demo_step
from opora.territory.models import School


@demo_step("Журнал изменений")
def record_audit(ctx: DemoContext) -> None:
    """One «создание» entry per school (in bulk) and one summary entry on the region."""
    school_type = ContentType.objects.get_for_model(School)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action=AuditEntry.Action.CREATE,
                source=AuditEntry.Source.DEMO,
                content_type=school_type,
                object_id=str(school.pk),
                object_repr=str(school)[:300],
                changes=diff({}, snapshot_fields(school)),
                comment="Создано демо-генератором",
            )
            for school in ctx.schools
        ],
        batch_size=1000,
    )
    counts = {
        "seed": ctx.seed,
        "municipalities": len(ctx.municipalities),
        "settlements": len(ctx.settlements),
        "schools": len(ctx.schools),
        "snapshots": len(ctx.snapshots),
        "users": len(ctx.users),
    }
    audit_record(
        actor=None,
        instance=ctx.region,
        action=AuditEntry.Action.UPDATE,
        before={key: None for key in counts},
        after=counts,
        source=AuditEntry.Source.DEMO,
        comment=(
            f"Демо-регион сгенерирован (seed={ctx.seed}): {len(ctx.schools)} школ, "
            f"{len(ctx.snapshots)} годовых срезов"
        ),
    )
