"""`opora import-results FILE [--format canonical|vpr-form|gia] [--procedure P] [--year Y]
[--dry-run]`: load assessment results (see docs/results-import.md)."""

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from opora.assessment.importers import FORMATS, ImportOptions, parse_results
from opora.assessment.streaming import import_results
from opora.core.models import AuditEntry

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = "Загружает результаты оценочных процедур из CSV/XLSX: всё или ничего, с проверкой."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="файл CSV или XLSX")
        parser.add_argument(
            "--format",
            default="canonical",
            choices=sorted(FORMATS),
            help="формат файла: canonical (по умолчанию), vpr-form (форма ВПР школы), "
            "gia (протокол РЦОИ ОГЭ/ЕГЭ/ГВЭ)",
        )
        parser.add_argument(
            "--procedure",
            default="",
            help="процедура, если файл её не называет: ЕГЭ, ОГЭ, ГВЭ, РДР… (gia, vpr-form)",
        )
        parser.add_argument(
            "--year", type=int, default=None, help="год, если файл его не называет (gia, vpr-form)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="только проверить файл, ничего не записывать"
        )
        parser.add_argument("--user", default="", help="имя пользователя, от которого загрузка")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Не удалось прочитать файл {path}: {exc}") from exc
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Пользователь «{options['user']}» не найден.")
        console = Console(file=sys.stderr)
        import_options = ImportOptions(procedure=options["procedure"], year=options["year"])
        if options["dry_run"]:
            with console.status("Проверка файла…"):
                parsed = parse_results(data, path.name, options["format"], import_options)
            self._fail_on_errors(parsed)
            self._summary(parsed)
            self.stdout.write(
                f"Проверка пройдена: строк {parsed.frame.height}. Ничего не записано."
            )
            return
        with Progress(
            TextColumn("Проверка и запись"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("write", total=None)
            parsed, batch = import_results(
                actor=actor,
                data=data,
                file_name=path.name,
                source=AuditEntry.Source.CLI,
                format_code=options["format"],
                options=import_options,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        self._fail_on_errors(parsed)
        assert batch is not None  # no errors: stored
        self._summary(parsed)
        replaced = batch.replaced.first()
        note = f" (заменён пакет №{replaced.pk} того же файла)" if replaced else ""
        self.stdout.write(
            self.style.SUCCESS(f"Загружен пакет №{batch.pk}: строк {batch.rows_written}{note}.")
        )

    def _fail_on_errors(self, parsed: Any) -> None:
        if not parsed.errors:
            return
        for error in parsed.errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if parsed.error_count > SHOWN_ERRORS:
            self.stderr.write(f"… и ещё {parsed.error_count - SHOWN_ERRORS}")
        raise CommandError(
            f"Импорт не выполнен: ошибок {parsed.error_count}. В базу ничего не записано."
        )

    def _summary(self, parsed: Any) -> None:
        self.stdout.write(f"Файл {parsed.file_name}: строк {parsed.rows_read}")
        if parsed.skipped_rows:
            self.stdout.write(
                f"Пропущено строк без результата или вне школ региона: {parsed.skipped_rows}"
            )
        for item in parsed.summary():
            self.stdout.write(
                f"  {item['procedure']} · {item['subject']} · {item['year']} · "
                f"{item['period']}: {item['rows']}"
            )
        if parsed.dropped_columns:
            self.stdout.write(
                "Отброшены столбцы с персональными данными: " + ", ".join(parsed.dropped_columns)
            )
