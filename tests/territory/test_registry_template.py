"""The XLSX template of the school registry: headers, instructions, example, round trip."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opora.core.importing import template_kinds
from opora.territory.choices import SchoolType
from opora.territory.importers import import_schools
from opora.territory.importers.schools_format import COLUMNS
from opora.territory.models import School, SchoolSnapshot


def _template(tmp_path) -> openpyxl.Workbook:
    path = tmp_path / "шаблон.xlsx"
    call_command("template", "schools", str(path))
    return openpyxl.load_workbook(path)


def test_template_kinds_are_registered_with_documentation():
    kinds = template_kinds()
    assert "schools" in kinds
    for kind in kinds.values():
        assert kind.name and kind.description and kind.filename.endswith(".xlsx")


def test_template_has_russian_headers_instructions_and_an_example(tmp_path):
    book = _template(tmp_path)
    assert book.sheetnames == ["Школы", "Пример", "Инструкция"]
    headers = [cell.value for cell in book["Школы"][1]]
    assert headers == [column.header for column in COLUMNS]
    assert headers[:2] == ["Код школы", "ИНН"]
    assert "Год" in headers and "Доля обучающихся с ОВЗ, %" in headers
    assert book["Школы"].max_row == 1  # the data sheet is left empty for the user

    example = book["Пример"]
    assert [cell.value for cell in example[1]] == headers
    values = dict(zip(headers, [cell.value for cell in example[2]], strict=True))
    assert values["Код школы"] == "ШК-0001" and values["Год"] == 2024
    assert values["Обучающихся в 1 классе"] == 21

    rows = list(book["Инструкция"].iter_rows(values_only=True))
    documented = {row[0]: row for row in rows if row[0] in headers}
    assert set(documented) == set(headers)
    type_row = documented["Тип"]
    assert type_row[2] == "значение из списка"
    assert all(label in type_row[3] for _, label in SchoolType.choices)
    assert documented["Код школы"][4] == "обязательный столбец"
    assert documented["Полное наименование"][4] == "необязательный; нужно для новой школы"


def test_filled_template_imports(tmp_path, territory):
    book = _template(tmp_path)
    sheet = book["Школы"]
    example = [cell.value for cell in book["Пример"][2]]
    headers = [cell.value for cell in sheet[1]]
    for year, code in ((2023, "ШК-0001"), (2024, "ШК-0001"), (2024, "ШК-0002")):
        row = list(example)
        row[headers.index("Код школы")] = code
        row[headers.index("Год")] = year
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)

    result = import_schools(buffer.getvalue(), "шаблон.xlsx", region_code="99")
    assert result.errors == [], [str(e) for e in result.errors]
    assert (result.schools.created, result.snapshots.created) == (2, 3)
    school = School.objects.get(code="ШК-0001")
    assert school.school_type == "sosh" and school.transport_access == "one_day"
    assert school.municipality.name == "Энский муниципальный район"
    assert school.municipality.kind == "district"
    assert school.settlement is not None and school.settlement.population == 2400
    snapshot = SchoolSnapshot.objects.get(school=school, year=2024)
    assert snapshot.has_tochka_rosta is True
    assert snapshot.students_total == sum(20 + grade for grade in range(1, 12))


def test_unknown_template_kind_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Неизвестный вид шаблона"):
        call_command("template", "nothing", str(tmp_path / "x.xlsx"))
