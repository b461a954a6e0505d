"""Property tests: malformed registry files never raise and never write anything partially."""

import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core.audit import snapshot_fields
from opora.core.models import AuditEntry
from opora.territory.importers import import_schools
from opora.territory.models import Municipality, School, SchoolSnapshot, Settlement
from tests.territory.files import HEADER, csv_bytes, school_record, table, xlsx_bytes

pytestmark = pytest.mark.django_db
PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# openpyxl refuses control characters; keep text printable.
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
cell = st.one_of(
    st.none(),
    text,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(["да", "нет", "2023/24", "1e400", "-5", "100,01", "12,5", "NaN", "∞"]),
)
header = st.one_of(st.sampled_from(list(HEADER.values())), text)


def _state() -> tuple:
    counts = tuple(
        m.objects.count() for m in (Municipality, Settlement, School, SchoolSnapshot, AuditEntry)
    )
    a1 = School.objects.get(code="a1")
    snapshot = SchoolSnapshot.objects.get(school=a1, year=2024)
    return counts, snapshot_fields(a1), snapshot_fields(snapshot)


def _check(data: bytes, name: str) -> None:
    """Import in a savepoint: no exception; when there are errors, nothing has changed."""
    with transaction.atomic():
        before = _state()
        result = import_schools(data, name, region_code="99")
        assert isinstance(result.errors, list)
        for error in result.errors:
            assert error.file and error.message and str(error)
        if result.errors:
            assert not result.committed
            assert _state() == before
        transaction.set_rollback(True)


def _save(rows: list[list[object]], name: str) -> bytes:
    return csv_bytes(rows) if name.endswith(".csv") else xlsx_bytes(rows)


@PROPERTY
@given(
    headers=st.lists(header, min_size=0, max_size=8),
    rows=st.lists(st.lists(cell, max_size=8), max_size=5),
    name=st.sampled_from(["r.xlsx", "r.csv"]),
)
def test_random_tables_never_raise(territory, headers, rows, name):
    _check(_save([headers, *rows], name), name)


@PROPERTY
@given(
    key=st.sampled_from([k for k in HEADER if k not in ("code",)]),
    value=cell,
    code=st.sampled_from(["a1", "n1", "c1", ""]),
    name=st.sampled_from(["r.xlsx", "r.csv"]),
)
def test_one_bad_cell_in_a_valid_file_never_raises(territory, key, value, code, name):
    record = school_record(code, 2023)
    record[key] = value
    records = [school_record("n0", 2024), record]
    _check(_save(table(records), name), name)


COUNTS = st.sampled_from(["students_g1", "teachers_total", "computers_total", "shifts"])
SHARES = st.sampled_from(["ovz_share", "low_income_share", "parents_higher_ed_share"])
OUT_OF_RANGE = st.one_of(
    st.tuples(COUNTS, st.integers(max_value=-1)),
    st.tuples(COUNTS, st.integers(min_value=2**31, max_value=10**17)),
    st.tuples(SHARES, st.decimals(min_value="100.01", max_value=10**9, places=2).map(str)),
    st.tuples(SHARES, st.integers(max_value=-1)),
)


@PROPERTY
@given(pair=OUT_OF_RANGE)
def test_out_of_range_numbers_are_errors_and_nothing_is_written(territory, pair):
    key, value = pair
    records = [school_record("n0", 2024), school_record("a1", 2024, **{key: value})]
    data = xlsx_bytes(table(records))
    with transaction.atomic():
        before = _state()
        result = import_schools(data, "r.xlsx", region_code="99")
        assert result.errors, f"{key}={value} should be refused"
        assert any(error.header == HEADER[key] and error.row == 3 for error in result.errors)
        assert _state() == before
        transaction.set_rollback(True)


@PROPERTY
@given(data=st.binary(max_size=300), name=st.sampled_from(["r.xlsx", "r.csv", "r.xls", "r"]))
def test_garbage_bytes_never_raise(territory, data, name):
    _check(data, name)


@PROPERTY
@given(cut=st.integers(min_value=0, max_value=4000), name=st.sampled_from(["r.xlsx", "r.csv"]))
def test_truncated_files_never_raise(territory, cut, name):
    valid = _save(table([school_record("n1"), school_record("a1", municipality="Город А")]), name)
    _check(valid[: cut % (len(valid) + 1)], name)


def test_empty_and_blank_files_are_reported(territory):
    for data in (b"", b"   \n\n", xlsx_bytes([]), csv_bytes([[]])):
        result = import_schools(
            data, "r.xlsx" if data.startswith(b"PK") else "r.csv", region_code="99"
        )
        assert result.errors and not result.committed


def test_a_zip_that_is_not_a_workbook_is_reported(territory):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    result = import_schools(buffer.getvalue(), "r.xlsx", region_code="99")
    assert "не удалось прочитать" in result.errors[0].message
