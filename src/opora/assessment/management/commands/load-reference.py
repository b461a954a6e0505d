"""`opora load-reference [FILE]`: load procedures, subjects and reference values (idempotent)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.assessment.services import REFERENCE_FILE, reference_load
from opora.core.models import AuditEntry


class Command(BaseCommand):
    help = "Загружает справочник процедур, предметов, минимальных баллов и шкал из JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default=str(REFERENCE_FILE),
            help="файл справочника (по умолчанию встроенный reference.json)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            result = reference_load(actor=None, path=path, source=AuditEntry.Source.CLI)
        except (OSError, ValueError, KeyError, ValidationError) as exc:
            raise CommandError(f"Справочник {path} не загружен: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Справочник версии {result.version}: создано {result.created}, "
                f"обновлено {result.updated}, без изменений {result.unchanged}."
            )
        )
