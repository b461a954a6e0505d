"""`opora import-schools FILE [--dry-run]`: load the school registry from XLSX or CSV."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from opora.territory.importers import SchoolImportResult, import_schools
from opora.territory.importers.schools import default_region_code


class Command(BaseCommand):
    help = (
        "Загружает реестр школ из XLSX или CSV: всё или ничего. При ошибках ничего не "
        "записывается и выводится список ошибок."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="файл .xlsx или .csv (шаблон: opora template schools)")
        parser.add_argument("--dry-run", action="store_true", help="только проверить и посчитать")
        parser.add_argument("--region", help="код региона (можно не указывать, если регион один)")
        parser.add_argument("--region-name", default="", help="наименование нового региона")
        parser.add_argument("--user", help="пользователь, от имени которого записать изменения")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Не удалось прочитать файл {path}: {exc}") from exc
        region_code = options["region"] or default_region_code()
        if not region_code:
            raise CommandError("Укажите регион: --region КОД (и --region-name, если его ещё нет).")
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Пользователь «{options['user']}» не найден.")
        console = Console(file=self.stdout, highlight=False)  # type: ignore[arg-type]
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            tasks: dict[str, Any] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done)

            result = import_schools(
                data,
                path.name,
                region_code=region_code,
                region_name=options["region_name"],
                actor=actor,
                dry_run=options["dry_run"],
                progress=progress,
            )
        self._report(console, result, dry_run=options["dry_run"])
        if result.errors:
            raise CommandError(
                f"Импорт не выполнен: ошибок {len(result.errors)}; ничего не записано."
            )

    def _report(self, console: Console, result: SchoolImportResult, *, dry_run: bool) -> None:
        for header in result.ignored_headers:
            console.print(
                f"Столбец «{header}» не распознан и пропущен.", markup=False, soft_wrap=True
            )
        if result.errors:
            for error in result.errors:
                console.print(str(error), markup=False, soft_wrap=True)
            return
        head = "Проверка без записи" if dry_run else "Загружено"
        console.print(f"{head}: файл «{result.file}», строк {result.rows}.", markup=False)
        for name, counts in (("Школы", result.schools), ("Годовые срезы", result.snapshots)):
            console.print(
                f"{name}: новых {counts.created}, изменено {counts.updated}, "
                f"без изменений {counts.unchanged}."
            )
        console.print(
            f"Новых муниципалитетов: {result.municipalities_created}, "
            f"новых населённых пунктов: {result.settlements_created}."
        )
