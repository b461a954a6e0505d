"""Personal data never reaches the database: names, birth dates and documents are dropped."""

import hashlib
import hmac

from django.apps import apps
from django.db import connection, models

from opora.assessment.importers import parse_results
from opora.assessment.models import ImportBatch, StudentResult
from opora.assessment.pseudonym import Pseudonymiser, is_personal_header, student_key
from opora.assessment.services import results_import_commit
from opora.core.models import AuditEntry
from tests.assessment.conftest import csv_bytes

HEADER = [
    "ФИО участника",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "СНИЛС",
    "Номер документа",
    "Код школы",
    "Процедура",
    "Предмет",
    "Год",
    "Параллель",
    "Класс",
    "Код участника",
    "Первичный балл",
    "Отметка",
]
SECRETS = [
    "Иванов Пётр Сергеевич",
    "Иванов",
    "Пётр",
    "Сергеевич",
    "12.03.2013",
    "123-456-789 01",
    "4510 123456",
    "СТУДЕНТ-777",
]


def test_personal_headers_are_recognised() -> None:
    for header in [
        "ФИО",
        "Ф.И.О.",
        "Фамилия ученика",
        "Имя",
        "Дата рождения",
        "СНИЛС",
        "Паспорт",
        "Серия и номер документа",
    ]:
        assert is_personal_header(header), header
    for header in ["Код участника", "Класс", "Отметка", "Первичный балл", "Код школы"]:
        assert not is_personal_header(header), header


def test_key_is_keyed_hash_stable_and_secret_dependent() -> None:
    assert student_key("S1") == student_key(" S1 ")
    assert len(student_key("S1")) == 32
    assert Pseudonymiser("one").key("S1") != Pseudonymiser("two").key("S1")
    expected = hmac.new(b"one", b"\x1fS1", hashlib.sha256).hexdigest()[:32]
    assert Pseudonymiser("one").key("S1") == expected


def _text_values() -> list[str]:
    """Every value of every text-like column of every table of the project."""
    found: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField | models.JSONField):
                    column = connection.ops.quote_name(field.column)
                    cursor.execute(
                        f"SELECT {column} FROM {connection.ops.quote_name(table)} "
                        f"WHERE {column} IS NOT NULL"
                    )
                    found.extend(str(value) for (value,) in cursor.fetchall())
    return found


def test_no_name_reaches_the_database(results_setup) -> None:
    row = [*SECRETS[:7], "a1", "ВПР", "Русский язык", "2024", "5", "5А", SECRETS[7], "30", "4"]
    parsed = parse_results(csv_bytes([row], header=HEADER), "с_фамилиями.csv")
    assert parsed.errors == []
    assert parsed.dropped_columns == HEADER[:7]
    batch = results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)
    assert StudentResult.objects.get(batch=batch).student_key == student_key(SECRETS[7])
    values = _text_values()
    assert any(student_key(SECRETS[7]) in value for value in values)
    for secret in SECRETS:
        for part in [secret, *(p for p in secret.split() if len(p) >= 5)]:
            assert not any(part in value for value in values), part
    assert ImportBatch.objects.get().dropped_columns == HEADER[:7]


def test_no_name_birth_date_or_document_of_a_rcoi_file_reaches_the_database(results_setup) -> None:
    from opora.assessment.importers import ImportOptions
    from tests.assessment.forms import GIA_HEADER, GIA_ROWS, gia_csv

    parsed = parse_results(gia_csv(), "rcoi.csv", "gia", ImportOptions(procedure="ЕГЭ"))
    assert parsed.errors == []
    assert set(parsed.dropped_columns) == {
        "Фамилия",
        "Имя",
        "Отчество",
        "Серия",
        "Номер",
        "Дата рождения",
    }
    results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)
    assert StudentResult.objects.count() == 2
    values = _text_values()
    personal = {GIA_HEADER.index(h) for h in ("Фамилия", "Имя", "Отчество", "Серия", "Номер")}
    personal.add(GIA_HEADER.index("Дата рождения"))
    for row in GIA_ROWS:
        secrets = [row[i] for i in personal] + [row[9] + row[10], f"{row[9]} {row[10]}"]
        # A 4-digit series alone could occur inside a hex key by chance: checked with the number.
        for secret in (s for s in secrets if not (s.isdigit() and len(s) < 6)):
            assert not any(secret in value for value in values), secret
    assert all(
        len(key) == 32 for key in StudentResult.objects.values_list("student_key", flat=True)
    )
