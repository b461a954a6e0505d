"""Property test: malformed files never raise and never leave a partial write."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.assessment.importers import parse_results
from opora.assessment.models import ImportBatch, StudentResult
from opora.assessment.services import results_import_commit
from opora.core.models import AuditEntry
from tests.assessment.conftest import HEADER

GOOD = ["a1", "ВПР", "Математика", "2024", "", "5", "5А", "S1", "11", "4", "", "", "", "4", "4"]
cells = st.one_of(
    st.sampled_from(
        [
            "",
            "x",
            "-1",
            "6",
            "2,5",
            "1e9",
            "nan",
            "ЕГЭ",
            "b1",
            "2023/24",
            "зачёт",
            "1;2;a",
            '"',
            ";",
            "\n",
            "12" * 40,
        ]
    ),
    st.text(max_size=12),
)
rows = st.lists(
    st.lists(cells, min_size=0, max_size=len(HEADER) + 2).map(
        lambda r: [*r, *GOOD[len(r) :]] if len(r) < len(GOOD) else r
    ),
    min_size=0,
    max_size=6,
)


def _csv(header: list[str], body: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    body=rows,
    drop=st.sets(st.integers(0, len(HEADER) - 1), max_size=3),
    delimiter=st.sampled_from([";", ",", "\t"]),
    garbage=st.binary(max_size=40),
)
def test_malformed_files_give_errors_or_a_complete_batch(
    results_setup, body, drop, delimiter, garbage
) -> None:
    header = [h for i, h in enumerate(HEADER) if i not in drop]
    data = _csv(header, body, delimiter) + garbage
    before = (StudentResult.objects.count(), ImportBatch.objects.count())
    parsed = parse_results(data, "fuzz.csv")
    if parsed.errors:
        assert all(str(error) for error in parsed.errors)
        assert (StudentResult.objects.count(), ImportBatch.objects.count()) == before
        return
    batch = results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.CLI)
    assert batch.rows_written == parsed.frame.height
    assert StudentResult.objects.filter(batch=batch).count() == parsed.frame.height


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=300), suffix=st.sampled_from(["csv", "xlsx"]))
def test_arbitrary_bytes_never_raise(results_setup, data, suffix) -> None:
    parsed = parse_results(data, f"junk.{suffix}")
    assert parsed.errors or parsed.frame.height >= 0
    assert StudentResult.objects.count() == 0
