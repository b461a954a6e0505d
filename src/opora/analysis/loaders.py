"""Input frames of the analytics core, read from the database of one region.

Each frame is one SQL query whose columns are renamed to the schema names of
`opora.analytics.schemas` (`procedure_id` → `procedure`, `journal_mark_term` → `journal_term`,
...). Rows never become model instances: PostgreSQL streams the query through `COPY ... TO
STDOUT (FORMAT CSV)` into `polars.read_csv`; other databases go through the DB-API cursor.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import NullIf

from opora.analytics.schemas import CONTEXT
from opora.assessment.models import ReferenceValue, SchoolResultAggregate, StudentResult
from opora.territory.models import School, SchoolSnapshot

STUDENT_COLUMNS: dict[str, Any] = {
    "school_id": pl.Int64,
    "year": pl.Int64,
    "procedure": pl.String,
    "subject": pl.String,
    "grade": pl.Int64,
    "period": pl.String,
    "mark": pl.Int64,
    "primary_score": pl.Int64,
    "test_score": pl.Int64,
    "journal_term": pl.Int64,
    "journal_year": pl.Int64,
    "batch_id": pl.Int64,
}
SCHOOL_COLUMNS: dict[str, Any] = {
    "school_id": pl.Int64,
    "municipality_id": pl.Int64,
    "region_id": pl.Int64,
    "is_urban": pl.Boolean,
    "school_type": pl.String,
    "short_name": pl.String,
    "settlement_population": pl.Int64,
    "transport_access": pl.String,
}
REFERENCE_COLUMNS: dict[str, Any] = {
    "year": pl.Int64,
    "procedure": pl.String,
    "subject": pl.String,
    "min_score": pl.Int64,
    "high_score": pl.Int64,
    "max_primary_score": pl.Int64,
}
AGGREGATE_COLUMNS: dict[str, Any] = {
    "school_id": pl.Int64,
    "year": pl.Int64,
    "procedure": pl.String,
    "subject": pl.String,
    "grade": pl.Int64,
    "period": pl.String,
    "participants": pl.Int64,
    "count_2": pl.Int64,
    "count_3": pl.Int64,
    "count_4": pl.Int64,
    "count_5": pl.Int64,
    "mean_primary_score": pl.Float64,
    "mean_test_score": pl.Float64,
    "count_below_min": pl.Int64,
    "count_high": pl.Int64,
    "batch_id": pl.Int64,
}


@dataclass
class LoadedFrames:
    """The frames of one region (keys as `run_analysis` expects) and the batches they came from."""

    frames: dict[str, pl.DataFrame]
    batch_ids: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    @property
    def student_rows(self) -> int:
        return self.frames["student_results"].height


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def frame_of(queryset: QuerySet[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """Run a `.values(...)` queryset; return its rows as a frame with `schema` (by column name).

    Column names come from the query itself (the CSV header, the cursor description), so the
    order Django gives fields and expressions in the SELECT does not matter.
    """
    sql, params = queryset.query.sql_with_params()
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
            with raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT CSV, HEADER)", params) as copy:
                for block in copy:
                    buffer.write(block)
        buffer.seek(0)
        # Booleans arrive as t/f: read them as text and convert.
        read = {n: (pl.String if d == pl.Boolean else d) for n, d in schema.items()}
        frame = pl.read_csv(buffer, schema_overrides=read)
        if frame.is_empty():
            return pl.DataFrame(schema=schema)
        flags = [n for n, d in schema.items() if d == pl.Boolean]
        return frame.with_columns([(pl.col(n) == "t").alias(n) for n in flags]).select(list(schema))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    # SQLite answers booleans as 0/1: read them as integers and cast.
    read = {n: (pl.Int64 if schema[n] == pl.Boolean else schema[n]) for n in names}
    frame = pl.DataFrame(rows, schema=read, orient="row", strict=False)
    return frame.select([pl.col(n).cast(d) for n, d in schema.items()])


def load_schools(region_id: int) -> pl.DataFrame:
    """SCHOOLS: every school of the region with its municipality, type and settlement."""
    values = (
        School.objects.filter(municipality__region_id=region_id)
        .order_by()
        .values(
            "municipality_id",
            "is_urban",
            "school_type",
            "short_name",
            school_id=F("id"),
            region_id=F("municipality__region_id"),
            settlement_population=F("settlement__population"),
            transport=NullIf("transport_access", Value("")),
        )
    )
    columns = {
        ("transport" if n == "transport_access" else n): d for n, d in SCHOOL_COLUMNS.items()
    }
    frame = frame_of(values, columns).rename({"transport": "transport_access"})
    return frame.sort("school_id")


def load_context(region_id: int, year: int | None) -> pl.DataFrame:
    """CONTEXT: the yearly snapshots (shares stay percentages 0–100, decimals become floats)."""
    stored = {f.name for f in SchoolSnapshot._meta.concrete_fields}
    columns = {
        name: dtype
        for name, dtype in CONTEXT.columns.items()
        if name in stored or name == "school_id"
    }
    queryset = SchoolSnapshot.objects.filter(school__municipality__region_id=region_id)
    if year is not None:
        queryset = queryset.filter(year__lte=year)
    return frame_of(queryset.order_by().values(*columns), columns).sort("school_id", "year")


def _renamed(frame: pl.DataFrame, renames: dict[str, str]) -> pl.DataFrame:
    return frame.rename({old: new for old, new in renames.items() if old in frame.columns})


# Database column → schema name (annotations may not reuse a field's name, so rename after).
_RENAMES = {
    "procedure_id": "procedure",
    "subject_id": "subject",
    "journal_mark_term": "journal_term",
    "journal_mark_year": "journal_year",
    "medal_key": "student_key",
    "medal_code": "medal",
}


def _db_columns(columns: dict[str, Any]) -> dict[str, Any]:
    back = {new: old for old, new in _RENAMES.items()}
    return {back.get(name, name): dtype for name, dtype in columns.items()}


def load_students(region_id: int, year: int | None) -> pl.DataFrame:
    """STUDENT_RESULTS plus `batch_id`.

    `student_key` is read only on the rows of medalists (the medal check is the one rule that
    needs it: 32 characters on two million rows would double the read); `medal` and
    `controlled` are read when the results table has them (`medal` "" → null).
    """
    queryset = StudentResult.objects.filter(school__municipality__region_id=region_id)
    if year is not None:
        queryset = queryset.filter(year__lte=year)
    columns = dict(STUDENT_COLUMNS)
    expressions: dict[str, Any] = {}
    if _has_field(StudentResult, "medal"):
        columns.update(student_key=pl.String, medal=pl.String)
        expressions["medal_key"] = Case(
            When(~Q(medal=""), then=F("student_key")), default=None, output_field=CharField()
        )
        expressions["medal_code"] = NullIf("medal", Value(""))
    if _has_field(StudentResult, "controlled"):
        columns["controlled"] = pl.Boolean
    db = _db_columns(columns)
    plain = [name for name in db if name not in expressions]
    frame = frame_of(queryset.order_by().values(*plain, **expressions), db)
    return _renamed(frame, _RENAMES)


def load_task_scores(region_id: int, year: int | None) -> pl.DataFrame:
    """ВПР rows with task scores (M2): school, year, procedure, subject, grade, the list of points.

    Only these rows and columns are read; the stored JSON text becomes a list column here."""
    queryset = StudentResult.objects.filter(
        school__municipality__region_id=region_id, procedure_id="vpr", task_scores__isnull=False
    )
    if year is not None:
        queryset = queryset.filter(year__lte=year)
    columns = {
        "school_id": pl.Int64,
        "year": pl.Int64,
        "procedure_id": pl.String,
        "subject_id": pl.String,
        "grade": pl.Int64,
        "task_scores": pl.String,
    }
    frame = frame_of(queryset.order_by().values(*columns), columns)
    return _renamed(frame, _RENAMES).with_columns(
        pl.col("task_scores").str.json_decode(pl.List(pl.Int64))
    )


def load_aggregates(region_id: int, year: int | None) -> pl.DataFrame:
    """SCHOOL_AGGREGATES plus `batch_id` (decimals become floats)."""
    queryset = SchoolResultAggregate.objects.filter(school__municipality__region_id=region_id)
    if year is not None:
        queryset = queryset.filter(year__lte=year)
    db = _db_columns(AGGREGATE_COLUMNS)
    return _renamed(frame_of(queryset.order_by().values(*db), db), _RENAMES)


def load_reference() -> pl.DataFrame:
    """REFERENCE: minimum and high scores, maximum primary score per year, procedure, subject."""
    db = _db_columns(REFERENCE_COLUMNS)
    frame = _renamed(frame_of(ReferenceValue.objects.order_by().values(*db), db), _RENAMES)
    return frame.sort("year", "procedure", "subject")


def load_frames(region_id: int, year: int | None = None) -> LoadedFrames:
    """Every input frame of the region up to `year` (all years when None) and the batches read."""
    students = load_students(region_id, year)
    aggregates = load_aggregates(region_id, year)
    batch_ids = sorted(
        set(students["batch_id"].drop_nulls().unique().to_list())
        | set(aggregates["batch_id"].drop_nulls().unique().to_list())
    )
    years = sorted(
        set(students["year"].unique().to_list()) | set(aggregates["year"].unique().to_list())
    )
    frames = {
        "schools": load_schools(region_id),
        "context": load_context(region_id, year),
        "student_results": students.drop("batch_id"),
        "task_scores": load_task_scores(region_id, year),
        "school_aggregates": aggregates.drop("batch_id"),
        "reference": load_reference(),
    }
    return LoadedFrames(frames=frames, batch_ids=batch_ids, years=years)
