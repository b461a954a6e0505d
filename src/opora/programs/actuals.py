"""Actual values of library targets computed from the data (results and yearly snapshots).

For every program with targets that point at the indicator library, the schools of its
territory are read (the school itself, the schools of the municipality, or of the region),
reduced to procedure groups by the analytics core (`group_results`; the student rows of mark
procedures are counted per group by the database first, so no row is read one by one) and passed to
`compute_indicators` at the program's level, pooled over every subject or for the target's
subject. A value the core cannot give (too few participants, no data) stays empty: it is never
zero. The methodology is the shipped default preset (its `general.n_min` and periods apply).
"""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction
from django.db.models import Count, Q

from opora.analytics.indicators import REGISTRY, compute_indicators
from opora.analytics.methodology import Methodology, load_preset
from opora.analytics.results import group_results
from opora.analytics.schemas import CONTEXT
from opora.assessment.choices import ResultKind
from opora.assessment.models import (
    Procedure,
    ReferenceValue,
    SchoolResultAggregate,
    StudentResult,
)
from opora.programs.choices import ActualSource, ProgramLevel
from opora.programs.models import Program, ProgramTarget
from opora.programs.targets import target_update, target_year_set
from opora.territory.models import School, SchoolSnapshot

ALL_SUBJECTS = "*"
LEVEL_UNIT = {
    ProgramLevel.SCHOOL: ("school", "school_id"),
    ProgramLevel.MUNICIPALITY: ("municipality", "municipality_id"),
    ProgramLevel.REGION: ("region", "region_id"),
}


def _frame(rows: list[tuple[Any, ...]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row")


def _school_filter(programs: Sequence[Program]) -> Q:
    query = Q(pk__in=[])
    for program in programs:
        if program.level == ProgramLevel.SCHOOL:
            query |= Q(pk=program.school_id)
        elif program.level == ProgramLevel.MUNICIPALITY:
            query |= Q(municipality_id=program.municipality_id)
        else:
            query |= Q(municipality__region_id=program.region_id)
    return query


def _schools(query: Q) -> pl.DataFrame:
    rows = list(
        School.objects.filter(query)
        .order_by("pk")
        .values_list("pk", "municipality_id", "municipality__region_id", "is_urban", "school_type")
    )
    return _frame(
        rows,
        {
            "school_id": pl.Int64,
            "municipality_id": pl.Int64,
            "region_id": pl.Int64,
            "is_urban": pl.Boolean,
            "school_type": pl.String,
        },
    )


STUDENT_FIELDS = {
    "school_id": pl.Int64,
    "year": pl.Int64,
    "procedure_id": pl.String,
    "subject_id": pl.String,
    "grade": pl.Int64,
    "period": pl.String,
    "mark": pl.Int64,
    "primary_score": pl.Int64,
    "test_score": pl.Int64,
}
AGGREGATE_FIELDS = {
    "school_id": pl.Int64,
    "year": pl.Int64,
    "procedure_id": pl.String,
    "subject_id": pl.String,
    "grade": pl.Int64,
    "period": pl.String,
    "participants": pl.Int64,
    "count_2": pl.Int64,
    "count_3": pl.Int64,
    "count_4": pl.Int64,
    "count_5": pl.Int64,
    "count_below_min": pl.Int64,
    "count_high": pl.Int64,
}
REFERENCE_FIELDS = {
    "year": pl.Int64,
    "procedure_id": pl.String,
    "subject_id": pl.String,
    "min_score": pl.Int64,
    "high_score": pl.Int64,
    "max_primary_score": pl.Int64,
}
RENAME = {"procedure_id": "procedure", "subject_id": "subject"}


def _read(queryset: Any, fields: dict[str, Any]) -> pl.DataFrame:
    rows = list(queryset.order_by().values_list(*fields))
    return _frame(rows, fields).rename(RENAME)


def _mark_groups(mine: dict[str, Any], procedures: list[str]) -> pl.DataFrame:
    """Student rows of mark procedures counted by the database into school aggregates (the same
    procedure groups `group_results` would derive from the rows, without reading each row)."""
    marks = {f"count_{mark}": Count("pk", filter=Q(mark=mark)) for mark in (2, 3, 4, 5)}
    rows = (
        StudentResult.objects.filter(**mine, procedure_id__in=procedures)
        .order_by()
        .values("school_id", "year", "procedure_id", "subject_id", "grade", "period")
        .annotate(participants=Count("pk"), **marks)
        .values_list(
            "school_id",
            "year",
            "procedure_id",
            "subject_id",
            "grade",
            "period",
            "participants",
            *marks,
        )
    )
    fields = {
        k: v for k, v in AGGREGATE_FIELDS.items() if k not in ("count_below_min", "count_high")
    }
    return _frame(list(rows), fields).rename(RENAME)


def _groups(school_ids: list[int], procedures: set[str], m: Methodology) -> pl.DataFrame:
    mine: dict[str, Any] = {"school_id__in": school_ids}
    by_marks = sorted(
        Procedure.objects.filter(code__in=procedures, result_kind=ResultKind.MARK).values_list(
            "code", flat=True
        )
    )
    others = sorted(procedures - set(by_marks))
    students = _read(StudentResult.objects.filter(**mine, procedure_id__in=others), STUDENT_FIELDS)
    counted = _mark_groups(mine, by_marks)
    stored = _read(
        SchoolResultAggregate.objects.filter(**mine, procedure_id__in=sorted(procedures)),
        AGGREGATE_FIELDS,
    )
    key = ["school_id", "year", "procedure", "subject", "grade", "period"]
    # A group counted from student rows wins over a stored aggregate, as in group_results.
    aggregates = pl.concat(
        [counted, stored.join(counted.select(key), on=key, how="anti")], how="diagonal_relaxed"
    )
    reference = _read(ReferenceValue.objects.all(), REFERENCE_FIELDS)
    return group_results(m, students, aggregates, reference)


def _context(school_ids: list[int]) -> pl.DataFrame:
    stored = {f.name for f in SchoolSnapshot._meta.concrete_fields}
    columns = {n: d for n, d in CONTEXT.columns.items() if n in stored}
    rows = list(
        SchoolSnapshot.objects.filter(school_id__in=school_ids)
        .order_by()
        .values_list("school_id", *columns)
    )
    frame = _frame(rows, {"school_id": pl.Int64, **{n: pl.Float64 for n in columns}})
    return frame.with_columns([pl.col(n).cast(d) for n, d in columns.items()])


def compute_actuals(targets: Sequence[ProgramTarget]) -> dict[int, dict[int, Decimal | None]]:
    """Actual values per target id and year for the library targets among `targets`."""
    library = [t for t in targets if t.indicator_code in REGISTRY]
    if not library:
        return {}
    m = load_preset()
    programs = {t.program_id: t.program for t in library}
    schools = _schools(_school_filter(list(programs.values())))
    school_ids = schools["school_id"].to_list()
    codes = {t.indicator_code for t in library}
    procedures = {p for code in codes for p in REGISTRY[code].procedures}
    groups = _groups(school_ids, procedures, m) if procedures else None
    context = _context(school_ids) if any(REGISTRY[c].figure for c in codes) else None
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t in library:
        level = LEVEL_UNIT[ProgramLevel(t.program.level)][0]
        wanted[(level, t.subject or ALL_SUBJECTS)].add(t.indicator_code)
    values: dict[tuple[str, str, str], dict[tuple[int, int], float | None]] = {}
    for (level, subject), level_codes in wanted.items():
        part = groups
        if part is not None:
            part = (
                part.with_columns(subject=pl.lit(ALL_SUBJECTS))
                if subject == ALL_SUBJECTS
                else part.filter(pl.col("subject") == subject)
            )
        frame = compute_indicators(
            m, schools, part, context, level=level, codes=sorted(level_codes)
        )
        for code in level_codes:
            rows = frame.filter(pl.col("code") == code) if frame.height else frame
            values[(level, subject, code)] = {
                (unit, year): value
                for unit, year, value in rows.select("unit_id", "year", "value").iter_rows()
            }
    result: dict[int, dict[int, Decimal | None]] = {}
    for t in library:
        level, unit_column = LEVEL_UNIT[ProgramLevel(t.program.level)]
        unit = getattr(t.program, unit_column)
        found = values[(level, t.subject or ALL_SUBJECTS, t.indicator_code)]
        result[t.pk] = {
            year: (None if value is None else Decimal(str(round(value, 3))))
            for (unit_id, year), value in sorted(found.items())
            if unit_id == unit
        }
    return result


@transaction.atomic
def targets_refresh_actuals(*, actor: Any, programs: Sequence[Program], source: str) -> int:
    """Store the actual values computed from the data for the years the targets list (and the
    baseline year); returns how many year values changed. Hand-typed actuals of the same year
    are replaced when the data give a value."""
    targets = list(
        ProgramTarget.objects.filter(program__in=programs)
        .exclude(indicator_code="")
        .select_related("program")
        .prefetch_related("values")
    )
    computed = compute_actuals(targets)
    changed = 0
    for target in targets:
        found = computed.get(target.pk, {})
        rows = {v.year: v for v in target.values.all()}
        for year, row in sorted(rows.items()):
            actual = found.get(year)
            if actual is None or (
                row.actual_value == actual and row.actual_source == ActualSource.DATA
            ):
                continue
            target_year_set(
                actor=actor,
                target=target,
                year=year,
                value=row.value,
                actual=actual,
                actual_source=ActualSource.DATA,
                source=source,
            )
            changed += 1
        base = target.baseline_year
        if base is not None and target.baseline_value is None and found.get(base) is not None:
            target_update(
                actor=actor, target=target, data={"baseline_value": found[base]}, source=source
            )
            changed += 1
    return changed
