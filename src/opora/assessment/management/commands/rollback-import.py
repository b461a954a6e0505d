"""`opora rollback-import BATCH_ID`: delete the rows of an import batch and mark it rolled back."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.assessment.models import ImportBatch
from opora.assessment.services import results_import_rollback
from opora.core.models import AuditEntry


class Command(BaseCommand):
    help = "Отменяет загрузку результатов: удаляет строки пакета и помечает его отменённым."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("batch_id", type=int, help="номер пакета загрузки")

    def handle(self, *args: Any, **options: Any) -> None:
        batch = ImportBatch.objects.filter(pk=options["batch_id"]).first()
        if batch is None:
            raise CommandError(f"Пакета №{options['batch_id']} нет.")
        try:
            deleted = results_import_rollback(actor=None, batch=batch, source=AuditEntry.Source.CLI)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"Пакет №{batch.pk} отменён: удалено строк {deleted}.")
        )
