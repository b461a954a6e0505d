"""Technical models shared by every domain app: timestamps and the audit trail."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TimeStampedModel(models.Model):
    """A row that knows when it was created and last changed."""

    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change to domain data: who, when, which object, and each field before and after.

    `changes` maps a field name to `[before, after]` (JSON values); a created object has
    `before` null for every field, a deleted one `after` null.
    """

    class Action(models.TextChoices):
        CREATE = "create", "создание"
        UPDATE = "update", "изменение"
        DELETE = "delete", "удаление"

    class Source(models.TextChoices):
        WEB = "web", "веб-интерфейс"
        API = "api", "API"
        CLI = "cli", "командная строка"
        IMPORT = "import", "импорт файла"
        DEMO = "demo", "демо-генератор"
        ADMIN = "admin", "администрирование"

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("кто (имя на момент изменения)", max_length=150, blank=True)
    action = models.CharField("действие", max_length=10, choices=Action.choices)
    source = models.CharField("источник", max_length=10, choices=Source.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("объект", max_length=300)
    changes = models.JSONField("изменения", default=dict)
    comment = models.CharField("комментарий", max_length=300, blank=True)

    class Meta:
        verbose_name = "запись журнала изменений"
        verbose_name_plural = "журнал изменений"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_action_display()} {self.object_repr}"
