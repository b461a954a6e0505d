"""`opora import-roadmap FILE --program ID [--dry-run]`: load a roadmap table into a program."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.core.models import AuditEntry
from opora.programs.choices import DeadlineKind
from opora.programs.importers import (
    RoadmapPreview,
    UnsupportedFormatError,
    read_roadmap,
    roadmap_import_commit,
)
from opora.programs.models import Program


def _interval(activity: Any) -> str:
    deadline = activity.deadline
    if deadline.start is None or deadline.end is None:
        return "без интервала"
    if deadline.start == deadline.end:
        return f"{deadline.start:%d.%m.%Y}"
    return f"{deadline.start:%d.%m.%Y}–{deadline.end:%d.%m.%Y}"


class Command(BaseCommand):
    help = (
        "Загружает дорожную карту (таблицу мероприятий) из DOCX или XLSX в программу: "
        "печатает распознанные направления, мероприятия и сроки и то, что не распознано."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="файл DOCX или XLSX")
        parser.add_argument("--program", type=int, required=True, help="номер программы")
        parser.add_argument(
            "--dry-run", action="store_true", help="только показать, ничего не сохранять"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        program = Program.objects.filter(pk=options["program"]).first()
        if program is None:
            raise CommandError(f"Программы №{options['program']} нет.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл «{path}» не найден.")
        try:
            preview = read_roadmap(
                path.name,
                path.read_bytes(),
                school_year=program.period_start_year,
                last_year=program.period_end_year,
            )
        except UnsupportedFormatError as exc:
            raise CommandError(str(exc)) from exc
        self._print(preview)
        if options["dry_run"]:
            self.stdout.write("Пробный запуск: ничего не сохранено.")
            return
        if not preview.activities:
            raise CommandError("Мероприятий не найдено: ничего не сохранено.")
        try:
            tracks, activities = roadmap_import_commit(
                actor=None, program=program, preview=preview, source=AuditEntry.Source.CLI
            )
        except ValidationError as exc:
            raise CommandError("Ничего не сохранено: " + " ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Сохранено в программу №{program.pk}: направлений {tracks}, "
                f"мероприятий {activities}."
            )
        )

    def _print(self, preview: RoadmapPreview) -> None:
        for number, track in enumerate(preview.tracks, start=1):
            self.stdout.write(
                f"Направление {number}. {track.name} — мероприятий: {len(track.activities)}"
            )
            for activity in track.activities:
                self.stdout.write(
                    f"  {activity.number or '—'} {activity.name[:80]} | "
                    f"срок: «{activity.deadline_text}» → {DeadlineKind(activity.deadline.kind.value).label} "
                    f"{_interval(activity)}"
                )
        self.stdout.write(
            f"Итого: направлений {len(preview.tracks)}, мероприятий {len(preview.activities)}."
        )
        if preview.problems:
            self.stdout.write(f"Не распознано ({len(preview.problems)}):")
            for problem in preview.problems:
                self.stdout.write(f"  {problem}")
        else:
            self.stdout.write("Всё распознано.")
