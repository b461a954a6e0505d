"""`opora registry export --format xlsx|csv FILE [--run ID]`: the registry of a run to a file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.analysis.choices import RunStatus
from opora.analysis.exporters import FORMATS, render_registry
from opora.analysis.models import AnalysisRun, RunSchool


class Command(BaseCommand):
    help = "Выгружает реестр школ – участников программы (XLSX или CSV) из запуска анализа."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export"], help="export — выгрузить реестр")
        parser.add_argument("file", help="путь к файлу")
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default=None,
            help="xlsx или csv (по расширению файла)",
        )
        parser.add_argument(
            "--run",
            type=int,
            default=None,
            help="номер запуска (по умолчанию официальный или последний)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        fmt = options["format"] or path.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise CommandError("Укажите --format xlsx или csv (или файл с таким расширением).")
        runs = AnalysisRun.objects.filter(status=RunStatus.DONE)
        if options["run"] is not None:
            run = runs.filter(pk=options["run"]).first()
            if run is None:
                raise CommandError(f"Нет выполненного запуска №{options['run']}.")
        else:
            run = runs.order_by("-year", "-is_official", "-started_at", "-id").first()
            if run is None:
                raise CommandError("Анализ ещё не запускался: выполните opora analyse.")
        lines = list(
            RunSchool.objects.filter(run=run, in_registry=True)
            .select_related("school__municipality")
            .order_by("school__municipality__name", "school__short_name", "school_id")
        )
        _, _, content = render_registry(run, lines, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.stdout.write(
            f"Реестр запуска №{run.pk} ({run.year}): школ — {len(lines)}, файл {path}"
        )
