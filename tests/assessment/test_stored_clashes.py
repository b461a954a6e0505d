"""Clashes with stored results: found by the database, the first ones listed, all counted."""

from opora.assessment.importers import parse_results
from opora.assessment.importers.stored import stored_clashes
from opora.assessment.services import results_import_commit
from opora.core.models import AuditEntry
from tests.assessment.conftest import csv_bytes

ROW = ["a1", "ВПР", "Математика", "2024", "", "5", "5А", "", "11", "4", "", "", "", "", ""]


def _rows(codes: list[str]) -> list[list[str]]:
    return [[*ROW[:7], code, *ROW[8:]] for code in codes]


def test_clashes_are_listed_up_to_the_limit_and_all_counted(results_setup) -> None:
    first = parse_results(csv_bytes(_rows(["S1", "S2", "S3"])), "first.csv")
    batch = results_import_commit(actor=None, parsed=first, source=AuditEntry.Source.CLI)
    again = parse_results(csv_bytes(_rows(["S9", "S3", "S1", "S2"])), "again.csv")
    assert again.error_count == 3
    assert [(e.row, e.column) for e in again.errors] == [(3, "H"), (4, "H"), (5, "H")]
    assert all(f"пакетом №{batch.pk}" in e.message for e in again.errors)
    # The parsed frame (kept beside the clash errors), checked directly with a limit of one.
    frame = parse_results(csv_bytes(_rows(["S9", "S3", "S1", "S2"])), "x.csv").frame
    clashes, total = stored_clashes(frame, exclude_batch_ids=[], limit=1)
    assert (clashes.rows(), total) == ([(1, batch.pk)], 3)
    clashes, total = stored_clashes(frame, exclude_batch_ids=[batch.pk])
    assert (clashes.height, total) == (0, 0)
