"""`opora analyse` stores a run and prints its summary; `opora registry export` writes the file."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opora.analysis.models import AnalysisRun
from tests.analysis.graph import add_aggregates

pytestmark = pytest.mark.django_db


def test_analyse_runs_default_and_export_reads_back(territory, tmp_path) -> None:
    add_aggregates(territory)
    out = io.StringIO()
    call_command(
        "analyse", "--methodology", "default", "--year", "2024", "--region", "99", stdout=out
    )
    text = out.getvalue()
    run = AnalysisRun.objects.get()
    assert (run.region, run.methodology_name, run.year) == (territory.region, "default", 2024)
    assert "ШНОР" in text and f"Запуск №{run.pk} сохранён" in text
    assert "в реестре (НОР или ССУ)" in text

    path = tmp_path / "реестр.xlsx"
    call_command("registry", "export", str(path), "--format", "xlsx", stdout=io.StringIO())
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value.startswith("Реестр школ – участников программы, 2024 год")
    header = [cell.value for cell in sheet[4]]
    assert header[:5] == ["№", "Муниципалитет", "Код школы", "Школа", "Кластеры"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [
        ("Город А", "Школа a2", "НОР", "да"),
        ("Район Б", "Школа b1", "НОР", "да"),
    ]
    assert "доля «2» 44,0\xa0% (11 из 25)" in rows[1][-1]

    csv_path = tmp_path / "реестр.csv"
    call_command("registry", "export", str(csv_path), "--run", str(run.pk), stdout=io.StringIO())
    lines = list(csv.reader(io.StringIO(csv_path.read_text("utf-8-sig")), delimiter=";"))
    assert lines[0][3] == "Школа" and [line[3] for line in lines[1:]] == ["Школа a2", "Школа b1"]


def test_commands_say_what_is_wrong(territory, tmp_path) -> None:
    with pytest.raises(CommandError, match="нет результатов"):
        call_command("analyse", "--region", "98", stdout=io.StringIO())
    with pytest.raises(CommandError, match="нет методики «нет»"):
        call_command("analyse", "--methodology", "нет", "--region", "99", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Анализ ещё не запускался"):
        call_command("registry", "export", str(tmp_path / "r.xlsx"), stdout=io.StringIO())
