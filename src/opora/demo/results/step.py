"""The generation step: draw every result, store one import batch per procedure and year, write
the truth of the planted cases to `demo-truth.json` next to the database."""

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection

from opora.assessment.choices import Period
from opora.assessment.importers.base import RESULT_COLUMNS, ParsedResults
from opora.assessment.models import ImportBatch, Procedure, StudentResult
from opora.assessment.pseudonym import Pseudonymiser
from opora.assessment.services import reference_load, results_import_commit
from opora.core.models import AuditEntry
from opora.demo.context import DemoContext, demo_step
from opora.demo.results.catalogue import build_exams
from opora.demo.results.frames import (
    LETTERS,
    Salts,
    exam_frame,
    group_params,
    students,
    takes,
)
from opora.demo.results.medals import medalists
from opora.demo.results.observers import observed
from opora.demo.results.plan import INFLATION_BOOST, SchoolPlan, build_plans, plant_cases
from opora.demo.results.scoring import scores
from opora.demo.results.tasks import VARIANTS, task_patterns
from opora.demo.results.truth import truth_document

KEY_NAMESPACE = "demo"
BATCH_NAMES = {"vpr": "ВПР", "oge": "ОГЭ", "ege": "ЕГЭ", "ege_base": "ЕГЭ (база)"}


def truth_path() -> Path:
    """`demo-truth.json` beside the SQLite file, or in `VAR_DIR` for other databases."""
    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if str(db["ENGINE"]).endswith("sqlite3") and name and not name.startswith((":", "file:")):
        return Path(name).resolve().parent / "demo-truth.json"
    return Path(settings.VAR_DIR) / "demo-truth.json"


def _keys(frame: pl.DataFrame, plans: list[SchoolPlan]) -> pl.DataFrame:
    """Pseudonymous keys of the students (identifier: school code, entry year, number)."""
    codes = {p.index: p.code for p in plans}
    people = frame.select("person", "school_index", "year", "grade", "idx").unique("person")
    people = people.sort("person")
    maker = Pseudonymiser()
    keys = [
        maker.key(f"{codes[s]}:{y - g + 1}:{i}", namespace=KEY_NAMESPACE)
        for s, y, g, i in people.select("school_index", "year", "grade", "idx").iter_rows()
    ]
    return people.select("person").with_columns(student_key=pl.Series(keys, dtype=pl.String))


def draw_results(ctx: DemoContext) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Every student row (in `RESULT_COLUMNS`) and the truth document; writes nothing."""
    rng = ctx.rng_for("results")
    years = tuple(ctx.years)
    exams = build_exams(years)
    plans = build_plans(ctx, rng)
    plant_cases(plans, years, rng)
    salts = Salts(rng)
    base = students(plans, years, salts)
    frame = (
        takes(base, salts)
        .join(group_params(plans, years, rng), on=["school_index", "year", "procedure", "subject"])
        .join(exam_frame(exams), on=["procedure", "subject", "grade", "year"])
    )
    frame = scores(frame, salts, INFLATION_BOOST)
    frame = frame.join(_keys(frame, plans), on="person", how="left")
    ege = frame.filter(pl.col("procedure").is_in(["ege", "ege_base"]))
    medals, medal_truth = medalists(ege, plans)
    frame = frame.join(
        medals.select("person", "year", "medal"), on=["person", "year"], how="left"
    ).with_columns(
        journal_mark_year=pl.when(pl.col("medal").is_not_null())
        .then(5)
        .otherwise(pl.col("journal_mark_year"))
    )
    patterns = task_patterns(exams, rng)
    frame = frame.with_columns(variant=(pl.col("rowkey") % VARIANTS).cast(pl.Int64)).join(
        patterns,
        on=["subject", "grade", "year", "score", "inflated", "variant"],
        how="left",
    )
    frame = frame.join(
        observed(plans, years, ctx.rng_for("results-observers")),
        on=["school_index", "year"],
        how="left",
    )
    ids = {p.index: p.school.pk for p in plans}
    letters = {i: letter for i, letter in enumerate(LETTERS)}
    ege_score = pl.col("procedure") == "ege"
    out = frame.select(
        "student_key",
        school_id=pl.col("school_index").replace_strict(ids, return_dtype=pl.Int64),
        grade=pl.col("grade"),
        class_label=pl.col("grade").cast(pl.String)
        + pl.col("class_no").replace_strict(letters, default="Я", return_dtype=pl.String),
        procedure_id=pl.col("procedure"),
        subject_id=pl.col("subject"),
        year=pl.col("year"),
        period=pl.lit(Period.MAIN.value),
        primary_score=pl.when(~ege_score).then(pl.col("score")),
        mark=pl.col("mark"),
        test_score=pl.when(ege_score).then(pl.col("score")),
        passed=pl.lit(None, pl.Boolean),
        task_scores=pl.col("task_scores"),
        journal_mark_term=pl.col("journal_mark_term"),
        journal_mark_year=pl.col("journal_mark_year"),
        medal=pl.col("medal").fill_null(""),
        controlled=pl.when(pl.col("procedure") == "vpr").then(pl.col("controlled")),
    )
    out = out.cast(pl.Schema(RESULT_COLUMNS)).sort(
        "year", "procedure_id", "subject_id", "school_id", "student_key"
    )
    return out, truth_document(ctx, plans, medal_truth, years)


def _insert_sqlite(part: pl.DataFrame, batch: ImportBatch) -> None:
    """Rows of a batch by `executemany`: the service's SQLite path builds a model instance per
    row, too slow for two million rows; PostgreSQL goes through the service's `COPY`."""
    rows = part.select(*RESULT_COLUMNS).with_columns(batch_id=pl.lit(batch.pk, pl.Int64))
    table = connection.ops.quote_name(StudentResult._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in rows.columns)
    marks = ", ".join(["%s"] * rows.width)
    with connection.cursor() as cursor:
        for start in range(0, rows.height, 200_000):
            chunk = rows.slice(start, 200_000)
            values = list(zip(*(chunk.get_column(n).to_list() for n in chunk.columns), strict=True))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_read=part.height, rows_written=part.height)


def store(frame: pl.DataFrame, seed: int) -> list[ImportBatch]:
    """One committed import batch per procedure and year, through the assessment service."""
    batches = []
    fast_path = connection.vendor == "sqlite"
    for (procedure, year), part in frame.group_by("procedure_id", "year", maintain_order=True):
        name = f"Демо-генератор: {BATCH_NAMES[str(procedure)]} {year} (seed={seed})"
        parsed = ParsedResults(
            file_name=name,
            sha256=hashlib.sha256(f"opora-demo:{seed}:{procedure}:{year}".encode()).hexdigest(),
            format="canonical",
            frame=part.head(0) if fast_path else part,
            rows_read=part.height,
        )
        batch = results_import_commit(actor=None, parsed=parsed, source=AuditEntry.Source.DEMO)
        if fast_path:
            _insert_sqlite(part, batch)
            ImportBatch.objects.filter(pk=batch.pk).update(
                summary=ParsedResults(name, parsed.sha256, "canonical", part, part.height).summary()
            )
            batch.refresh_from_db()
        batches.append(batch)
    return batches


def write_truth(document: dict[str, Any], path: Path | None = None) -> Path:
    """Write the truth document atomically; return its path."""
    target = path or truth_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    temporary.replace(target)
    return target


@demo_step("Результаты ВПР, ОГЭ, ЕГЭ")
def build_results(ctx: DemoContext) -> None:
    """Draw five years of results with the planted cases, store them and write the truth."""
    started = time.perf_counter()
    if not Procedure.objects.filter(code="vpr").exists():
        reference_load(actor=None, source=AuditEntry.Source.DEMO)
    frame, truth = draw_results(ctx)
    drawn = time.perf_counter()
    batches = store(frame, ctx.seed)
    truth["rows"] = frame.height
    ctx.extra["results_truth"] = truth
    ctx.extra["results_batches"] = batches
    ctx.extra["results_truth_path"] = write_truth(truth)
    ctx.extra["results_timing"] = {
        "draw_s": round(drawn - started, 2),
        "store_s": round(time.perf_counter() - drawn, 2),
    }
