"""The school registry import: counts, stored values, re-import, audit, tolerant headers, errors."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opora.core.models import AuditEntry
from opora.territory.importers import import_schools
from opora.territory.models import Municipality, School, SchoolSnapshot, Settlement
from tests.territory.files import HEADER, csv_bytes, school_record, table, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(data: bytes, name: str = "реестр.xlsx", **options):
    options.setdefault("region_code", "99")
    return import_schools(data, name, **options)


def test_new_schools_are_created_with_their_values(territory):
    records = [
        school_record("n1", 2023),
        school_record("n1", 2024, students_g1=30),
        school_record(
            "n2",
            "2023/24",
            municipality="Новый район",
            municipality_kind="муниципальный район",
            settlement="с. Берёзовка",
            settlement_population=2400,
            is_urban="сельская",
        ),
    ]
    result = run(xlsx_bytes(table(records)))
    assert result.errors == []
    assert (result.schools.created, result.snapshots.created) == (2, 3)
    assert (result.municipalities_created, result.settlements_created) == (1, 1)
    assert result.committed
    n1 = School.objects.get(code="n1")
    assert n1.municipality == territory.muni_a
    assert n1.school_type == "sosh" and n1.is_urban
    snapshot = SchoolSnapshot.objects.get(school=n1, year=2024)
    assert snapshot.students_g1 == 30
    assert snapshot.students_total == 54
    assert snapshot.ovz_share == Decimal("4.50")
    n2 = School.objects.get(code="n2")
    new_muni = Municipality.objects.get(name="Новый район")
    assert new_muni.region == territory.region and new_muni.kind == "district"
    assert n2.settlement == Settlement.objects.get(name="с. Берёзовка", municipality=new_muni)
    assert n2.settlement.population_band == "1-5k"
    assert not n2.is_urban
    assert SchoolSnapshot.objects.get(school=n2).year == 2024
    assert AuditEntry.objects.filter(source="import", action="create").count() == 2 + 3 + 2


def test_reimport_is_unchanged_and_a_change_is_an_update_with_audit(territory):
    data = xlsx_bytes(table([school_record("n1", 2024)]))
    assert run(data).schools.created == 1
    audit_before = AuditEntry.objects.count()
    again = run(data)
    assert (again.schools.unchanged, again.snapshots.unchanged) == (1, 1)
    assert AuditEntry.objects.count() == audit_before
    changed = run(
        xlsx_bytes(table([school_record("n1", 2024, teachers_total=22, short_name="СШ новая")]))
    )
    assert (changed.schools.updated, changed.snapshots.updated) == (1, 1)
    snapshot = SchoolSnapshot.objects.get(school__code="n1", year=2024)
    entry = AuditEntry.objects.filter(object_id=str(snapshot.pk), action="update").get()
    assert entry.source == "import"
    assert entry.changes == {"teachers_total": [20, 22]}
    school_entry = AuditEntry.objects.filter(
        object_id=str(snapshot.school_id), action="update", content_type__model="school"
    ).get()
    assert school_entry.changes == {"short_name": ["СШ n1", "СШ новая"]}


def test_existing_school_is_updated_by_code_and_blank_cells_keep_values(territory):
    rows = [
        [HEADER["code"], HEADER["year"], HEADER["teachers_total"], HEADER["address"]],
        ["a1", 2024, 25, None],
    ]
    result = run(xlsx_bytes(rows))
    assert result.errors == []
    assert (result.schools.unchanged, result.snapshots.updated) == (1, 1)
    snapshot = SchoolSnapshot.objects.get(school=territory.a1, year=2024)
    assert snapshot.teachers_total == 25
    assert snapshot.teachers_over_55 == 7  # untouched: not in the file
    assert School.objects.get(code="a1").municipality == territory.muni_a


def test_headers_are_matched_tolerantly(territory):
    rows = [
        [
            "  КОД   ШКОЛЫ ",
            "год",
            "Полное  наименование",
            "«Краткое наименование»",
            "ТИП",
            "муниципалитет",
            "Доля обучающихся с ОВЗ (%)",
            "учителей всего, чел.",
            "Педагог-психолог ставок",
            "Населенный пункт",
            "численность населения",
            "Непонятный столбец",
        ],
        [
            "n9",
            2024,
            "МБОУ СШ 9",
            "СШ 9",
            "гимназия",
            "город а",
            "12,345",
            "10",
            "0,5",
            "Посёлок",
            1500,
            "x",
        ],
    ]
    result = run(xlsx_bytes(rows))
    assert result.errors == []
    assert result.ignored_headers == ["Непонятный столбец"]
    school = School.objects.get(code="n9")
    assert school.school_type == "gymnasium" and school.municipality == territory.muni_a
    assert school.settlement is not None and school.settlement.name == "Посёлок"
    snapshot = school.snapshots.get()
    assert snapshot.ovz_share == Decimal("12.35")
    assert snapshot.teachers_total == 10
    assert snapshot.psychologist_rates == Decimal("0.50")


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1251")]
)
def test_csv_in_any_usual_encoding_and_delimiter(territory, delimiter, encoding):
    data = csv_bytes(table([school_record("n1", 2024)]), delimiter=delimiter, encoding=encoding)
    result = run(data, "реестр.csv")
    assert result.errors == []
    assert School.objects.get(code="n1").short_name == "СШ n1"
    assert SchoolSnapshot.objects.get(school__code="n1").ovz_share == Decimal("4.5")


def _only_error(records_or_rows, *, rows=False):
    before = (School.objects.count(), SchoolSnapshot.objects.count(), AuditEntry.objects.count())
    data = xlsx_bytes(records_or_rows if rows else table(records_or_rows))
    result = run(data)
    assert not result.committed
    assert (
        School.objects.count(),
        SchoolSnapshot.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0]


def test_a_wrong_type_names_sheet_row_column_value_and_expectation(territory):
    error = _only_error([school_record("n1"), school_record("n2", students_g2="много")])
    assert (error.file, error.sheet, error.row) == ("реестр.xlsx", "Школы", 3)
    assert (error.column, error.header, error.value) == ("I", "Обучающихся во 2 классе", "много")
    assert error.message == "ожидалось целое число"
    assert str(error) == (
        "файл «реестр.xlsx», лист «Школы», строка 3, столбец I «Обучающихся во 2 классе»: "
        "значение «много» — ожидалось целое число"
    )


@pytest.mark.parametrize(
    ("values", "key", "fragment"),
    [
        ({"ovz_share": "120"}, "ovz_share", "100"),
        ({"students_g1": -3}, "students_g1", "0"),
        ({"teachers_over_55": 30}, "teachers_over_55", "больше"),
        ({"year": 1990}, "year", "2000"),
        ({"school_type": "академия"}, "school_type", "НОШ (начальная)"),
        ({"shifts": 5}, "shifts", "3"),
        ({"is_urban": "может быть"}, "is_urban", "«да» или «нет»"),
        ({"students_g1": 10**12}, "students_g1", "2147483647"),
        ({"municipality": "Нигдеград"}, "municipality_kind", "укажите его вид"),
        ({"municipality": "Район В"}, "municipality_kind", "укажите его вид"),
        ({"settlement": "Хутор"}, "settlement_population", "численность"),
    ],
)
def test_each_kind_of_error_is_located(territory, values, key, fragment):
    record = school_record("n1", **values)
    result = run(xlsx_bytes(table([record])))
    assert not result.committed and not School.objects.filter(code="n1").exists()
    assert all((e.sheet, e.row) == ("Школы", 2) for e in result.errors)
    error = next(e for e in result.errors if e.header == HEADER[key])
    keys = list(record)
    # A column present in the file is named by its letter; an absent one by its header only.
    expected_letter = chr(65 + keys.index(key)) if key in keys else ""
    assert error.column == expected_letter
    assert error.value == (str(values[key]) if key in values else "")
    assert fragment in error.message, str(error)


def test_duplicate_school_and_year_is_an_error(territory):
    error = _only_error([school_record("n1", 2024), school_record("n1", "2023/24")])
    assert error.row == 3 and error.header == "Год"
    assert "уже есть в строке 2" in error.message


def test_missing_required_column_and_new_school_without_name(territory):
    error = _only_error([[HEADER["code"], HEADER["teachers_total"]], ["n1", 3]], rows=True)
    assert error.row == 1 and "нет обязательного столбца «Год»" in error.message
    rows = [
        [
            HEADER["code"],
            HEADER["year"],
            HEADER["municipality"],
            HEADER["short_name"],
            HEADER["school_type"],
        ],
        ["n1", 2024, "Город А", "СШ", "СОШ"],
    ]
    error = _only_error(rows, rows=True)
    assert error.row == 2 and error.header == "Полное наименование"
    assert "не может быть пустым" in error.message


def test_conflicting_card_values_of_one_school(territory):
    error = _only_error([school_record("n1", 2023), school_record("n1", 2024, short_name="Другая")])
    assert error.row == 3 and error.header == "Краткое наименование"
    assert "отличается от строки 2" in error.message


def test_all_or_nothing_keeps_valid_rows_out_when_one_is_wrong(territory):
    records = [school_record(f"n{i}") for i in range(5)] + [school_record("bad", ovz_share="101")]
    result = run(xlsx_bytes(table(records)))
    assert len(result.errors) == 1
    assert not School.objects.filter(code__startswith="n").exists()


def test_dry_run_counts_without_writing(territory):
    records = [school_record("n1", 2024), school_record("a1", 2024, municipality="Город А")]
    audit_before = AuditEntry.objects.count()
    result = run(xlsx_bytes(table(records)), dry_run=True)
    assert result.errors == []
    assert (result.schools.created, result.schools.updated) == (1, 1)
    assert (result.snapshots.created, result.snapshots.updated) == (1, 1)
    assert not result.committed
    assert not School.objects.filter(code="n1").exists()
    assert School.objects.get(code="a1").short_name == "Школа a1"
    assert AuditEntry.objects.count() == audit_before


def test_school_of_another_region_cannot_be_loaded_here(territory):
    error = _only_error([school_record("c1")])
    assert error.header == "Код школы" and "другом регионе" in error.message


def test_municipal_user_cannot_touch_another_municipality(territory, personas):
    municipal = personas["municipality"]  # municipal coordinator of «Город А»
    result = run(xlsx_bytes(table([school_record("b1", municipality="Район Б")])), user=municipal)
    assert result.errors and "вне вашей зоны" in result.errors[0].message
    regional = personas["region"]
    result = run(xlsx_bytes(table([school_record("n1", municipality="Район Б")])), user=regional)
    assert result.errors == []


def test_command_imports_and_reports_counts(territory, tmp_path, capsys):
    path = tmp_path / "реестр.xlsx"
    path.write_bytes(xlsx_bytes(table([school_record("n1", 2024)])))
    call_command("import-schools", str(path), "--region", "99", "--dry-run")
    assert not School.objects.filter(code="n1").exists()
    call_command("import-schools", str(path), "--region", "99")
    out = capsys.readouterr().out
    assert "Школы: новых 1, изменено 0, без изменений 0." in out
    assert School.objects.filter(code="n1").exists()


def test_command_fails_with_errors_in_russian(territory, tmp_path, capsys):
    path = tmp_path / "реестр.csv"
    path.write_bytes(csv_bytes(table([school_record("n1", ovz_share="150")])))
    with pytest.raises(CommandError, match="ничего не записано"):
        call_command("import-schools", str(path), "--region", "99")
    out = capsys.readouterr().out
    assert "лист «реестр», строка 2, столбец" in out and "«Доля обучающихся с ОВЗ, %»" in out


def test_command_creates_a_new_region(db, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(
        xlsx_bytes(
            table([school_record("z1", municipality="Город Зет", municipality_kind="город")])
        )
    )
    call_command("import-schools", str(path), "--region", "77", "--region-name", "Новая область")
    assert School.objects.get(code="z1").municipality.region.name == "Новая область"
