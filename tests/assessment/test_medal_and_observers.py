"""The canonical format carries the graduate's medal and whether a ВПР was observed."""

import pytest

from opora.assessment.importers import parse_results
from opora.assessment.models import StudentResult
from opora.assessment.pseudonym import student_key
from opora.assessment.services import results_import_commit
from opora.core.models import AuditEntry
from tests.assessment.conftest import HEADER, csv_bytes

WITH_NEW = [*HEADER, "Медаль", "Общественное наблюдение"]
BASE_EGE = [
    "b1",
    "ЕГЭ",
    "Русский язык",
    "2024",
    "",
    "11",
    "11Б",
    "",
    "",
    "",
    "72",
    "",
    "",
    "5",
    "5",
]
BASE_VPR = ["a1", "ВПР", "Математика", "2024", "", "5", "5А", "", "11", "4", "", "", "", "4", "4"]


def _row(base: list[str], student: str, medal: str, controlled: str) -> list[str]:
    row = list(base)
    row[7] = student
    return [*row, medal, controlled]


def test_medal_and_observers_are_stored_from_tolerant_words(results_setup) -> None:
    rows = [
        _row(BASE_EGE, "G1", "Золотая", ""),
        _row(BASE_EGE, "G2", "медаль I степени", ""),
        _row(BASE_EGE, "S1", "серебро", ""),
        _row(BASE_EGE, "S2", "2 степени", ""),
        _row(BASE_EGE, "N1", "нет", ""),
        _row(BASE_EGE, "N2", "-", ""),
        _row(BASE_VPR, "V1", "", "да"),
        _row(BASE_VPR, "V2", "", "Объективность не обеспечена"),
        _row(BASE_VPR, "V3", "", ""),
    ]
    parsed = parse_results(csv_bytes(rows, header=WITH_NEW), "medals.csv")
    assert parsed.errors == []
    results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)
    stored = {
        key: (medal, controlled)
        for key, medal, controlled in StudentResult.objects.values_list(
            "student_key", "medal", "controlled"
        )
    }
    expected = {
        "G1": ("gold", None),
        "G2": ("gold", None),
        "S1": ("silver", None),
        "S2": ("silver", None),
        "N1": ("", None),
        "N2": ("", None),
        "V1": ("", True),
        "V2": ("", False),
        "V3": ("", None),
    }
    assert stored == {student_key(k): v for k, v in expected.items()}
    assert StudentResult.objects.get(student_key=student_key("G1")).get_medal_display() == (
        "золотая (I степени)"
    )


@pytest.mark.parametrize(
    ("base", "medal", "controlled", "letter", "fragment"),
    [
        (BASE_EGE, "бронзовая", "", "P", "ожидается «золотая» (I степени)"),
        (BASE_VPR, "золотая", "", "P", "только у выпускников 11 (12) класса"),
        (BASE_VPR, "", "может быть", "Q", "ожидается «да»"),
        (BASE_EGE, "", "да", "Q", "только для ВПР и региональных диагностических работ"),
    ],
)
def test_bad_medal_or_observer_values_are_located(
    results_setup, base, medal, controlled, letter, fragment
) -> None:
    rows = [_row(base, "X1", medal, controlled)]
    (error,) = parse_results(csv_bytes(rows, header=WITH_NEW), "bad.csv").errors
    assert (error.row, error.column) == (2, letter) and fragment in error.message
