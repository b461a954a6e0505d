"""`opora import-roadmap`: dry run prints what was understood; a real run saves all or nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from opora.core.audit import audit_entries_for
from opora.programs.importers import read_roadmap, roadmap_import_commit
from opora.programs.models import Activity, Program
from tests.programs import files


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import-roadmap", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan_docx(tmp_path: Path) -> Path:
    path = tmp_path / "план.docx"
    path.write_bytes(files.docx_000())
    return path


def test_dry_run_prints_tracks_activities_deadlines_and_problems(
    program: Program, plan_docx: Path
) -> None:
    output = _run(str(plan_docx), "--program", str(program.pk), "--dry-run")
    assert "Направление 1. Создание условий для реализации Программы — мероприятий: 4" in output
    assert "срок: «апрель» → месяцы 01.04.2024–30.04.2024" in output
    assert "срок: «в течение года» → в течение года 01.09.2023–31.08.2024" in output
    assert "Итого: направлений 3, мероприятий 8." in output
    assert "таблица 1, строка 14: срок мероприятия 3.2 не распознан: «как получится»" in output
    assert "Пробный запуск: ничего не сохранено." in output
    assert not Activity.objects.exists()


def test_run_saves_tracks_and_activities_with_audit(program: Program, plan_docx: Path) -> None:
    output = _run(str(plan_docx), "--program", str(program.pk))
    assert f"Сохранено в программу №{program.pk}: направлений 3, мероприятий 8." in output
    assert list(program.tracks.values_list("name", flat=True)) == [
        "Создание условий для реализации Программы",
        "Информационно-методическое сопровождение общеобразовательных учреждений",
        "Информационно-аналитическое обеспечение реализации Программы",
    ]
    activity = Activity.objects.get(track__program=program, number="2.6")
    assert (activity.deadline_kind, str(activity.deadline_end)) == ("during_year", "2024-08-31")
    assert [e.source for e in audit_entries_for([activity])] == ["cli"]


def test_import_is_all_or_nothing(program: Program) -> None:
    preview = read_roadmap("plan.docx", files.docx_000(), school_year=2023)
    preview.activities[-1].name = ""  # an activity without a name is invalid
    with pytest.raises(Exception, match="таблица 1, строка 14"):
        roadmap_import_commit(actor=None, program=program, preview=preview, source="import")
    assert not program.tracks.exists()
    assert not Activity.objects.exists()


def test_unknown_program_and_format_are_refused(program: Program, tmp_path: Path) -> None:
    text = tmp_path / "plan.txt"
    text.write_text("план")
    with pytest.raises(CommandError, match="Программы №999999 нет"):
        _run(str(text), "--program", "999999")
    with pytest.raises(CommandError, match="не поддерживается"):
        _run(str(text), "--program", str(program.pk))
