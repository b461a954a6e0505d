"""Property tests of the ВПР form and РЦОИ importers: malformed files never raise and never
leave a partial write; a clean parse commits every row it announced."""

import csv
import io

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from opora.assessment.importers import ImportOptions, parse_results
from opora.assessment.models import ImportBatch, StudentResult
from opora.assessment.services import results_import_commit
from opora.core.models import AuditEntry
from tests.assessment.forms import (
    GIA_HEADER,
    GIA_ROWS,
    VPR_HEADER,
    VPR_MAXIMA,
    VPR_ROWS,
    vpr_sheet,
    workbook,
)

cells = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "X",
            "x",
            "-",
            "н",
            "1",
            "2",
            "3",
            "7",
            "-1",
            "2,5",
            "1e9",
            "nan",
            "5А",
            "9Б",
            "a1",
            "zz",
            "++-",
            "2(3)",
            "3(2)",
            "+a",
            "золотая",
            "бронза",
            "да",
            "0",
            "100",
            "101",
            "\n",
        ]
    ),
    st.integers(-3, 120),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
)


def _mutated(base: list[object], changes: dict[int, object]) -> list[object]:
    row = list(base)
    for index, value in changes.items():
        if index < len(row):
            row[index] = value
    return row


table_rows = st.lists(
    st.one_of(
        st.builds(
            _mutated,
            st.sampled_from([list(r) for r in VPR_ROWS]),
            st.dictionaries(st.integers(0, len(VPR_HEADER) - 1), cells, max_size=2),
        ),
        st.lists(cells, max_size=len(VPR_HEADER) + 2),
    ),
    max_size=5,
)


def _assert_all_or_nothing(parsed) -> None:  # type: ignore[no-untyped-def]
    before = (StudentResult.objects.count(), ImportBatch.objects.count())
    if parsed.errors:
        assert all(str(error) for error in parsed.errors)
        assert (StudentResult.objects.count(), ImportBatch.objects.count()) == before
        return
    batch = results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)
    assert batch.rows_written == parsed.frame.height
    assert StudentResult.objects.filter(batch=batch).count() == parsed.frame.height


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=table_rows,
    labels=st.fixed_dictionaries(
        {
            "school": st.sampled_from(["a1", "a1", "zz", None, 7]),
            "subject": st.sampled_from(["Математика", "Математика", "Астрология", None]),
            "grade": st.sampled_from(["5А", "5А", "5", "9", "пятый", None]),
            "year": st.sampled_from([2024, 2024, "2023/2024", "16.04.2024", "позже", None]),
        }
    ),
    header_drop=st.sets(st.integers(0, len(VPR_HEADER) - 1), max_size=2),
    maxima=st.one_of(
        st.none(),
        st.just(list(VPR_MAXIMA)),
        st.builds(_mutated, st.just(list(VPR_MAXIMA)), st.dictionaries(st.integers(3, 7), cells)),
    ),
)
def test_malformed_vpr_forms_give_errors_or_a_complete_batch(
    results_setup, rows, labels, header_drop, maxima
) -> None:
    header = [h for i, h in enumerate(VPR_HEADER) if i not in header_drop]
    sheet = vpr_sheet(header=header, maxima=maxima, rows=rows, **labels)
    parsed = parse_results(workbook({"5А": sheet}), "a1.xlsx", "vpr-form")
    event("committed" if not parsed.errors else "rejected")
    _assert_all_or_nothing(parsed)


def _csv(header: list[str], body: list[list[object]], title: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    if title:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in body])
    return buffer.getvalue().encode()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=st.lists(
        st.one_of(
            st.builds(
                _mutated,
                st.sampled_from([list(r) for r in GIA_ROWS]),
                st.dictionaries(st.integers(0, len(GIA_HEADER) - 1), cells, max_size=2),
            ),
            st.lists(cells, max_size=len(GIA_HEADER) + 1),
        ),
        max_size=5,
    ),
    drop=st.sets(st.integers(0, len(GIA_HEADER) - 1), max_size=2),
    title=st.sampled_from(
        ["01 - Русский язык 2024.06.03", "01 - Русский язык 2024.06.03", "22 - Математика", "", "x"]
    ),
    procedure=st.sampled_from(["ЕГЭ", "ЕГЭ", "ЕГЭ", "ОГЭ", "ГВЭ", "", "ЦТ"]),
    garbage=st.one_of(st.just(b""), st.binary(max_size=20)),
)
def test_malformed_rcoi_files_give_errors_or_a_complete_batch(
    results_setup, body, drop, title, procedure, garbage
) -> None:
    header = [h for i, h in enumerate(GIA_HEADER) if i not in drop]
    data = _csv(header, body, title) + garbage
    parsed = parse_results(data, "rcoi.csv", "gia", ImportOptions(procedure=procedure))
    event("committed" if not parsed.errors else "rejected")
    _assert_all_or_nothing(parsed)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=300), fmt=st.sampled_from(["vpr-form", "gia"]))
def test_arbitrary_bytes_never_raise(results_setup, data, fmt) -> None:
    parsed = parse_results(data, "junk.xlsx" if fmt == "vpr-form" else "junk.csv", fmt)
    assert parsed.errors or parsed.frame.height >= 0
    assert StudentResult.objects.count() == 0
