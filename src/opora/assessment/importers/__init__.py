"""Result import formats (a registry) and the entry point that parses a file against the database.

A format is a small registered unit with `code`, a Russian `name`, a `description` and
`parse(data, file_name, context, options) -> ParsedResults`.
"""

import polars as pl

from opora.assessment.importers.base import (
    ErrorCollector,
    ImportOptions,
    ParsedResults,
    ResultFormat,
)
from opora.assessment.importers.canonical import CanonicalFormat
from opora.assessment.importers.gia import GiaFormat
from opora.assessment.importers.stored import stored_clashes
from opora.assessment.importers.template import RESULTS_TEMPLATE
from opora.assessment.importers.vpr_form import VprFormFormat

FORMATS: dict[str, ResultFormat] = {
    fmt.code: fmt for fmt in (CanonicalFormat(), VprFormFormat(), GiaFormat())
}


def _school_logins() -> dict[str, int]:
    """ФИС ОКО login (lower case) → school id, for files that name a school by its login."""
    from opora.territory.models import School

    rows = School.objects.exclude(fis_oko_login="").values_list("fis_oko_login", "id")
    return {login.strip().casefold(): pk for login, pk in rows}


def parse_results(
    data: bytes,
    file_name: str,
    format_code: str = "canonical",
    options: ImportOptions | None = None,
) -> ParsedResults:
    """Parse and check `data`, including repeats of results already stored by other batches."""
    from opora.assessment import selectors

    fmt = FORMATS[format_code]
    context = selectors.reference_context()
    context.school_logins = _school_logins()
    parsed = fmt.parse(data, file_name, context, options or ImportOptions())
    if parsed.errors:
        return parsed
    same_file = selectors.batch_with_sha(parsed.sha256)
    exclude = [same_file.pk] if same_file is not None else []
    clashes, total = stored_clashes(parsed.frame, exclude_batch_ids=exclude)
    if not total:
        return parsed
    clashes = (
        parsed.frame.with_row_index("_n")
        .with_columns(pl.col("_n").cast(pl.Int64))
        .join(clashes, on="_n", how="inner")
        .with_columns(
            pl.format(
                "результат участника по той же процедуре, предмету, году и периоду уже "
                "загружен пакетом №{}; отмените тот пакет или уберите строку",
                pl.col("batch_id"),
            ).alias("_message")
        )
    )
    errors = ErrorCollector.for_parsed(parsed)
    errors.check(clashes, pl.lit(True), "student_id", message_column="_message")
    errors.count += total - clashes.height  # clashes beyond the first ERROR_LIMIT: counted only
    parsed.errors, parsed.error_count = errors.sorted(), errors.count
    return parsed


__all__ = ["FORMATS", "RESULTS_TEMPLATE", "ImportOptions", "ParsedResults", "parse_results"]
