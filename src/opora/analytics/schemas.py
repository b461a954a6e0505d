"""Input frames of the analytics core: column names, dtypes and which columns are required.

The Django side (`opora.analysis`) builds these frames from the database; the core never reads
anything else. Column names follow the models of `opora.territory` and `opora.assessment`, with
foreign keys as `<model>_id` and procedure/subject as their reference codes (`vpr`, `oge`, `ege`,
`rus`, `math`, ...). Shares in the context frame are percentages 0–100, as `SchoolSnapshot`
stores them; the core converts them to fractions where it compares them with methodology
thresholds (which are fractions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import polars as pl


class FrameSchemaError(ValueError):
    """An input frame does not match its schema; the message names the frame and the columns."""


@dataclass(frozen=True)
class FrameSchema:
    """A frame's columns: `required` must be present, `optional` are added as nulls if absent."""

    name: str
    required: dict[str, pl.DataType]
    optional: dict[str, pl.DataType] = field(default_factory=dict)
    key: tuple[str, ...] = ()

    @property
    def columns(self) -> dict[str, pl.DataType]:
        """All columns in schema order."""
        return {**self.required, **self.optional}


INT = pl.Int64()
FLOAT = pl.Float64()
STR = pl.String()
BOOL = pl.Boolean()

SCHOOLS = FrameSchema(
    name="schools",
    required={
        "school_id": INT,
        "municipality_id": INT,
        "region_id": INT,
        "is_urban": BOOL,
        "school_type": STR,
    },
    optional={
        "short_name": STR,
        "settlement_population": INT,
        "transport_access": STR,
        "distance_km": FLOAT,
    },
    key=("school_id",),
)

_COUNT_FIELDS = [f"students_g{grade}" for grade in range(1, 12)] + [
    "students_total",
    "teachers_total",
    "teachers_highest_category",
    "teachers_first_category",
    "teachers_over_55",
    "teachers_under_35",
    "vacancies_over_year",
    "teachers_without_subject_training",
    "psychologist_contracted",
    "defectologist_contracted",
    "speech_therapist_contracted",
    "social_pedagogue_contracted",
    "classrooms_total",
    "classrooms_with_projector",
    "classrooms_with_board",
    "computers_total",
    "computers_outdated",
    "buildings_total",
    "buildings_need_repair",
    "profile_classes",
]
# Percentages 0–100, as SchoolSnapshot stores them.
SHARE_FIELDS = [
    "ovz_share",
    "rkn_share",
    "low_income_share",
    "large_families_share",
    "single_parent_share",
    "unemployed_parents_share",
    "parents_higher_ed_share",
    # Not in SchoolSnapshot (yet): preventive registration (ВШУ/ПДН/КДН), from a questionnaire.
    "registered_share",
]
_FLOAT_FIELDS = [
    "avg_teacher_load",
    "psychologist_rates",
    "defectologist_rates",
    "speech_therapist_rates",
    "social_pedagogue_rates",
    "internet_speed_mbps",
    # Questionnaire indices (0–100, higher is better) and shares of teachers (0–100), optional.
    "climate_index",
    "motivation_index",
    "parent_involvement_index",
    "teachers_marked_deficits_share",
    "teachers_iom_pk_share",
]

CONTEXT = FrameSchema(
    name="context",
    required={"school_id": INT, "year": INT},
    optional={
        **{name: INT for name in _COUNT_FIELDS},
        **{name: FLOAT for name in SHARE_FIELDS},
        **{name: FLOAT for name in _FLOAT_FIELDS},
        "has_tochka_rosta": BOOL,
    },
    key=("school_id", "year"),
)

STUDENT_RESULTS = FrameSchema(
    name="student_results",
    required={
        "school_id": INT,
        "year": INT,
        "procedure": STR,
        "subject": STR,
        "grade": INT,
        "period": STR,
    },
    optional={
        "student_key": STR,
        "mark": INT,
        "primary_score": INT,
        "test_score": INT,
        "passed": BOOL,
        "journal_term": INT,
        "journal_year": INT,
        # ЕГЭ rows: "gold" / "silver" for a medalist (§5.4); ВПР rows: written under observers (§5.2 M6).
        "medal": STR,
        "controlled": BOOL,
    },
)

# ВПР task scores per participant and work (M2, METHODOLOGY §5.2): points per task in order,
# null for a task not attempted.
TASK_SCORES = FrameSchema(
    name="task_scores",
    required={
        "school_id": INT,
        "year": INT,
        "procedure": STR,
        "subject": STR,
        "grade": INT,
    },
    optional={"task_scores": pl.List(pl.Int64())},
)

SCHOOL_AGGREGATES = FrameSchema(
    name="school_aggregates",
    required={
        "school_id": INT,
        "year": INT,
        "procedure": STR,
        "subject": STR,
        "grade": INT,
        "period": STR,
        "participants": INT,
    },
    optional={
        "count_2": INT,
        "count_3": INT,
        "count_4": INT,
        "count_5": INT,
        "mean_primary_score": FLOAT,
        "mean_test_score": FLOAT,
        "count_below_min": INT,
        "count_high": INT,
    },
    key=("school_id", "year", "procedure", "subject", "grade", "period"),
)

REFERENCE = FrameSchema(
    name="reference",
    required={"year": INT, "procedure": STR, "subject": STR},
    optional={
        "min_score": INT,
        "high_score": INT,
        "max_primary_score": INT,
    },
    key=("year", "procedure", "subject"),
)

# The frame `results.group_results` derives: one row per school × year × procedure × subject ×
# grade (a "procedure group", p in METHODOLOGY §1).
GROUPS = FrameSchema(
    name="groups",
    required={
        "school_id": INT,
        "year": INT,
        "procedure": STR,
        "subject": STR,
        "grade": INT,
        "n": INT,
    },
    optional={
        "n_fail": INT,
        "n_fail_known": INT,
        "n_good": INT,
        "n_marked": INT,
        "sum_mark": FLOAT,
        "n_scored": INT,
        "sum_score": FLOAT,
        "n_high": INT,
        "score_var": FLOAT,
        "n_top": INT,
    },
    key=("school_id", "year", "procedure", "subject", "grade"),
)


def _compatible(actual: pl.DataType, expected: pl.DataType) -> bool:
    if actual == expected or actual == pl.Null():
        return True
    if expected.is_integer():
        return actual.is_integer()
    if expected.is_float():
        return actual.is_numeric() or isinstance(actual, pl.Decimal)
    if expected == STR:
        return actual in (pl.String(), pl.Categorical(), pl.Enum)
    if isinstance(expected, pl.List) and isinstance(actual, pl.List):
        inner = (cast(pl.DataType, actual.inner), cast(pl.DataType, expected.inner))
        return _compatible(*inner)  # e.g. task points stored as Int8
    return False


def _conformed(names: pl.Schema, schema: FrameSchema) -> list[pl.Expr]:
    """Check column names and types; the projection onto the schema's columns and dtypes."""
    missing = [name for name in schema.required if name not in names]
    if missing:
        raise FrameSchemaError(
            f"frame {schema.name!r}: missing required columns {missing}; has {names.names()}"
        )
    wrong = [
        f"{name}: {names[name]} (expected {dtype})"
        for name, dtype in schema.columns.items()
        if name in names and not _compatible(names[name], dtype)
    ]
    if wrong:
        raise FrameSchemaError(f"frame {schema.name!r}: wrong column types: {'; '.join(wrong)}")
    return [
        pl.col(name).cast(dtype) if name in names else pl.lit(None, dtype).alias(name)
        for name, dtype in schema.columns.items()
    ]


def _raise_nulls(schema: FrameSchema, nulls: list[str]) -> None:
    if nulls:
        raise FrameSchemaError(f"frame {schema.name!r}: nulls in required columns {nulls}")


def validate_frame(df: pl.DataFrame, schema: FrameSchema) -> pl.DataFrame:
    """Check `df` against `schema` and return it conformed: schema columns, schema dtypes.

    Raises `FrameSchemaError` naming the missing columns, the columns of a wrong type and
    duplicate keys. Extra columns are dropped; absent optional columns are added as nulls.
    """
    columns = _conformed(df.schema, schema)
    _raise_nulls(schema, [name for name in schema.required if df[name].null_count()])
    out = df.select(columns)
    if schema.key and out.select(schema.key).is_duplicated().any():
        raise FrameSchemaError(f"frame {schema.name!r}: duplicate rows for key {schema.key}")
    return out


def conform_frame(df: pl.DataFrame, schema: FrameSchema) -> pl.DataFrame:
    """`df` projected onto `schema` (names, dtypes) without the null and duplicate checks of
    `validate_frame`: for frames the core builds itself (a group-by's keys are unique)."""
    return df.select(_conformed(df.schema, schema))


Rows = pl.DataFrame | pl.LazyFrame


def lazy_rows(frame: Rows, schema: FrameSchema, check_nulls: bool = False) -> pl.LazyFrame:
    """Rows (student results, typically) as a lazy frame conformed to `schema`.

    A DataFrame is validated in full (`validate_frame`). A LazyFrame — e.g. `pl.scan_parquet`
    of a national dataset that should never be held in memory at once — is checked against its
    schema (names, types) and projected lazily (narrow integer or categorical columns are cast
    as they stream); with `check_nulls` its required columns are counted for nulls in one
    streaming pass (`run_analysis` does this once; the rules trust the frames they are given).
    Duplicate keys are not checked lazily (the student rows have no key).
    """
    if isinstance(frame, pl.DataFrame):
        return validate_frame(frame, schema).lazy()
    out = frame.select(_conformed(frame.collect_schema(), schema))
    if check_nulls:
        counts = collect(out.select(pl.col(list(schema.required)).null_count())).row(0, named=True)
        _raise_nulls(schema, [name for name, count in counts.items() if count])
    return out


def collect(frame: pl.LazyFrame) -> pl.DataFrame:
    """Collect a query over (possibly national-scale) rows with the streaming engine: rows are
    read in batches and only the aggregates are held in memory."""
    return frame.collect(engine="streaming")


def empty_frame(schema: FrameSchema) -> pl.DataFrame:
    """An empty frame with every column of `schema`."""
    return pl.DataFrame(schema=schema.columns)
