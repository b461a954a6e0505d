"""`opora template KIND FILE.xlsx`: write a documented import template."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.core.importing import template_kinds


class Command(BaseCommand):
    help = "Записывает шаблон XLSX для загрузки данных (вид шаблона: schools, …)."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = ", ".join(template_kinds())
        parser.add_argument("kind", help=f"вид шаблона: {kinds}")
        parser.add_argument("file", help="путь к создаваемому файлу .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = template_kinds()
        kind = kinds.get(options["kind"])
        if kind is None:
            raise CommandError(
                f"Неизвестный вид шаблона «{options['kind']}». Доступны: {', '.join(kinds)}."
            )
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(
                "Шаблон записывается в формате XLSX: укажите файл с расширением .xlsx."
            )
        try:
            path.write_bytes(kind.build())
        except OSError as exc:
            raise CommandError(f"Не удалось записать файл {path}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Шаблон «{kind.name}» записан в {path}"))
