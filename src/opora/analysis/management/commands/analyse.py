"""`opora analyse --methodology NAME [--year Y] [--region CODE]`: run the analysis and store it."""

from typing import IO, Any, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from opora.analysis.choices import Cluster
from opora.analysis.models import AnalysisRun
from opora.analysis.services import (
    RUN_STEPS,
    methodology_presets_install,
    methodology_resolve,
    run_analysis_for,
)
from opora.core.models import AuditEntry
from opora.territory.models import Region


def summary_table(run: AnalysisRun) -> Table:
    """The run's counts in Russian: registry, ШНОР, clusters, objectivity, decline."""
    s = run.summary
    table = Table(title=f"Итоги: {run}")
    table.add_column("список")
    table.add_column("школ", justify="right")
    rows = [
        ("всего школ", s.get("schools")),
        ("в реестре (НОР или ССУ)", s.get("registry")),
        ("ШНОР", s.get("shnor")),
        *((f"кластер {label}", s.get("clusters", {}).get(code)) for code, label in Cluster.choices),
        ("с признаками необъективности", s.get("signs")),
        ("с устойчивыми признаками", s.get("persistent_signs")),
        ("риск снижения", s.get("decline")),
        ("прогноз: риск попасть в ШНОР", s.get("watch")),
        ("резильентные", s.get("resilient")),
    ]
    for label, value in rows:
        table.add_row(label, str(value if value is not None else 0))
    return table


class Command(BaseCommand):
    help = (
        "Выполняет анализ по методике (выявление ШНОР, риски, объективность…) и сохраняет запуск."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--methodology",
            default=None,
            help="название методики (NAME или NAME@ВЕРСИЯ); без него — утверждённая на год, "
            "иначе default",
        )
        parser.add_argument(
            "--year", type=int, default=None, help="год анализа (по умолчанию последний)"
        )
        parser.add_argument(
            "--region", default=None, help="код региона (по умолчанию все регионы базы)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=cast(IO[str], self.stdout._out), highlight=False)
        regions = Region.objects.order_by("code")
        if options["region"]:
            regions = regions.filter(code=options["region"])
        if not regions.exists():
            raise CommandError(
                "В базе нет такого региона." if options["region"] else "В базе нет регионов."
            )
        for region in regions:
            methodology_presets_install(region=region, actor=None, source=AuditEntry.Source.CLI)
            try:
                methodology = methodology_resolve(
                    region=region, name=options["methodology"], year=options["year"]
                )
                run = self._run(console, region, methodology, options["year"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            console.print(summary_table(run))
            for warning in run.warnings:
                console.print(f"[yellow]Предупреждение:[/yellow] {warning}")
            console.print(f"Запуск №{run.pk} сохранён за {run.duration_s:.1f} с.")

    def _run(
        self, console: Console, region: Region, methodology: Any, year: int | None
    ) -> AnalysisRun:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
        ) as bar:
            task = bar.add_task(f"{region}: {methodology}", total=len(RUN_STEPS))

            def advance(label: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=f"{region}: {label}")

            return run_analysis_for(
                methodology=methodology,
                year=year,
                actor=None,
                source=AuditEntry.Source.CLI,
                progress=advance,
            )
