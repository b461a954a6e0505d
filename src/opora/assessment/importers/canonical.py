"""The canonical result format of Opora: one row per student, procedure, subject and year.

Every check is a vectorised Polars expression; the first `ERROR_LIMIT` failing cells are
reported with their sheet, row and column, and all of them are counted.
"""

import hashlib
from concurrent.futures import ThreadPoolExecutor

import polars as pl

from opora.assessment.importers import checks
from opora.assessment.importers.base import (
    RESULT_COLUMNS,
    ErrorCollector,
    ImportOptions,
    ParsedResults,
    ReferenceContext,
)
from opora.assessment.importers.columns import CANONICAL_COLUMNS
from opora.assessment.importers.frames import read_frame
from opora.assessment.importers.keys import KeyJob, with_keys
from opora.core.importing.headers import HeaderIndex

SHEET_NAME = "Результаты"


def _empty(file_name: str, sha: str, code: str) -> ParsedResults:
    return ParsedResults(file_name, sha, code, pl.DataFrame(schema=RESULT_COLUMNS), 0)


class CanonicalFormat:
    """`opora template results` writes this layout; `opora import-results` reads it."""

    code = "canonical"
    name = "Канонический формат результатов Опоры"
    description = (
        "Одна строка — результат одного участника по одной процедуре, предмету, году и "
        "периоду. CSV (UTF-8 или Windows-1251, разделитель «;» или «,») или XLSX, лист "
        f"«{SHEET_NAME}» или первый лист. Столбцы с ФИО, датами рождения и номерами "
        "документов отбрасываются."
    )
    columns = CANONICAL_COLUMNS

    def __init__(self) -> None:
        self.index = HeaderIndex((c.key, (c.header, *c.aliases)) for c in CANONICAL_COLUMNS)

    def parse(
        self, data: bytes, file_name: str, context: ReferenceContext, options: ImportOptions
    ) -> ParsedResults:
        """Read and check every row of `data`; never raise on bad input (`options` unused)."""
        parsed, frame, errors = self.prepare(data, file_name)
        if frame is None:
            return parsed
        job = KeyJob(frame.get_column("student_id"))
        typed = checks.validate(frame, context, errors)
        if errors.count:
            parsed.errors, parsed.error_count = errors.sorted(), errors.count
            return parsed
        parsed.frame = with_keys(typed, job)
        return parsed

    def prepare(
        self, data: bytes, file_name: str, *, tidy: bool = True
    ) -> tuple[ParsedResults, pl.DataFrame | None, ErrorCollector]:
        """Read `data` into a text frame with every canonical column, before any value check;
        the frame is None when the file itself is unusable (`parsed.errors` say why). With
        `tidy` false the cells are as read (`frames.tidy_cells` is left to the caller)."""
        with ThreadPoolExecutor(max_workers=1) as pool:  # hashlib releases the GIL
            digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
            read = read_frame(data, file_name, self.index, SHEET_NAME, tidy=tidy)
            sha = digest.result()
        errors = ErrorCollector(file_name, read.letters, read.headers)
        parsed = _empty(file_name, sha, self.code)
        parsed.dropped_columns = read.dropped
        parsed.letters, parsed.headers = read.letters, read.headers
        for sheet, message in read.problems:
            errors.file_error(message, sheet)
        if not read.problems:
            missing = [
                c.header for c in CANONICAL_COLUMNS if c.required and c.key not in read.headers
            ]
            for header in missing:
                errors.file_error(
                    f"Нет обязательного столбца «{header}». Скачайте шаблон: opora template results.",
                    read.sheet,
                )
            if not missing and read.frame.is_empty():
                errors.file_error("В файле нет строк с данными.", read.sheet)
        if errors.count:
            parsed.errors, parsed.error_count = errors.sorted(), errors.count
            return parsed, None, errors
        frame = read.frame.with_columns(
            pl.lit(None, pl.String).alias(c.key)
            for c in CANONICAL_COLUMNS
            if c.key not in read.frame.columns
        )
        parsed.rows_read = frame.height
        return parsed, frame, errors
