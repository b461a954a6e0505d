"""Reads: result tallies per territory unit, group (procedure × subject × grade) and year.

A *tally* holds additive counts and sums (participants, marks «2»–«5», sums of marks and test
scores, results below the ЕГЭ minimum, high scores, ten-point bins of test scores), so that a
municipality's tally is the sum of its schools' and a region's the sum of its municipalities'.
They are computed with one aggregate query per table (student rows and school aggregates),
grouped in the database by the unit asked for — never one query per school. School aggregates count
only where the school has no student rows for that group and year. Which periods count comes from
the methodology (`general.periods`).
"""

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from opora.assessment.models import (
    Procedure,
    ReferenceValue,
    SchoolResultAggregate,
    StudentResult,
    Subject,
)

# The field that names the unit of a row at each level of the territory.
LEVEL_FIELDS = {
    "school": "school_id",
    "municipality": "school__municipality_id",
    "region": "school__municipality__region_id",
}
SCORE_BINS = 10  # test scores 0–100 shown in ten-point bins («90–100» holds the hundreds)
_ZERO = Decimal(0)


@dataclass(frozen=True, order=True)
class Group:
    """A procedure × subject × grade (METHODOLOGY §1 «p»)."""

    procedure: str
    subject: str
    grade: int


@dataclass
class Tally:
    """Additive counts of one unit, group and year."""

    participants: int = 0
    marked: int = 0
    sum_mark: Decimal = _ZERO
    count_2: int = 0
    count_3: int = 0
    count_4: int = 0
    count_5: int = 0
    scored: int = 0
    sum_score: Decimal = _ZERO
    fail: int = 0  # below the year's ЕГЭ minimum, or «незачёт»
    fail_known: int = 0
    high: int = 0  # at or above the year's high-score threshold
    high_known: int = 0
    bins: tuple[int, ...] = field(default=(0,) * SCORE_BINS)

    def __add__(self, other: "Tally") -> "Tally":
        values: dict[str, Any] = {}
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if item.name == "bins":
                values["bins"] = tuple(a + b for a, b in zip(mine, theirs, strict=True))
            else:
                values[item.name] = mine + theirs
        return Tally(**values)


Key = tuple[int, Group, int]  # (unit id, group, year)


Thresholds = dict[tuple[int, str, str], tuple[int | None, int | None]]


def _thresholds(years: list[int] | None) -> Thresholds:
    """(year, procedure, subject) → (minimum score, high-score threshold) from the reference."""
    values = ReferenceValue.objects.order_by()
    if years is not None:
        values = values.filter(year__in=years)
    return {
        (v.year, v.procedure_id, v.subject_id): (v.min_score, v.high_score)
        for v in values.only("year", "procedure_id", "subject_id", "min_score", "high_score")
    }


def _aggregate_sums() -> dict[str, Any]:
    decimal = DecimalField(max_digits=14, decimal_places=2)

    def participants_if(column: str) -> Any:
        return Coalesce(Sum("participants", filter=Q(**{f"{column}__isnull": False})), 0)

    sums: dict[str, Any] = {
        "t_participants": Sum("participants"),
        "t_sum_score": Coalesce(
            Sum(ExpressionWrapper(F("mean_test_score") * F("participants"), output_field=decimal)),
            Value(_ZERO, output_field=decimal),
        ),
        "t_scored": participants_if("mean_test_score"),
        "t_fail": Coalesce(Sum("count_below_min"), 0),
        "t_fail_known": participants_if("count_below_min"),
        "t_high": Coalesce(Sum("count_high"), 0),
        "t_high_known": participants_if("count_high"),
    }
    for mark in (2, 3, 4, 5):
        sums[f"t_count_{mark}"] = Coalesce(Sum(f"count_{mark}"), 0)
    return sums


def _group_filter(group: Group | None, procedure: str, subject: str, grade: int | None) -> Q:
    if group is not None:
        return Q(procedure_id=group.procedure, subject_id=group.subject, grade=group.grade)
    query = Q()
    if procedure:
        query &= Q(procedure_id=procedure)
    if subject:
        query &= Q(subject_id=subject)
    if grade is not None:
        query &= Q(grade=grade)
    return query


def tallies(
    *,
    level: str,
    where: Q,
    years: list[int] | None,
    periods: list[str],
    group: Group | None = None,
    procedure: str = "",
    subject: str = "",
    grade: int | None = None,
) -> dict[Key, Tally]:
    """Tallies of the results matching `where` per (unit at `level`, group, year).

    `where` is a condition on result rows (e.g. `Q(school__municipality__region_id=5)`); the
    optional `group`, or `procedure`/`subject`/`grade`, narrow the groups; `years=None` reads
    every year. The database counts
    the students per distinct result (mark, test score, pass/fail) of each unit, group and year —
    a few rows per group, plain `COUNT(*)` so that the query stays cheap to plan and run — and
    the reference thresholds of each year are applied to those counts here.
    """
    unit = LEVEL_FIELDS[level]
    keys = (unit, "procedure_id", "subject_id", "grade", "year")
    narrow = where & Q(period__in=periods) & _group_filter(group, procedure, subject, grade)
    if years is not None:
        narrow &= Q(year__in=years)
    result: dict[Key, Tally] = {}
    thresholds = _thresholds(years)
    students = (
        StudentResult.objects.filter(narrow)
        .values(*keys, "mark", "test_score", "passed")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in students:
        key = _key(row, unit)
        tally = result.get(key)
        if tally is None:
            tally = result[key] = Tally()
        _count_into(tally, row, thresholds.get((key[2], key[1].procedure, key[1].subject)))
    student_rows = StudentResult.objects.filter(
        school_id=OuterRef("school_id"),
        year=OuterRef("year"),
        procedure_id=OuterRef("procedure_id"),
        subject_id=OuterRef("subject_id"),
        grade=OuterRef("grade"),
        period=OuterRef("period"),
    )
    aggregates = (
        SchoolResultAggregate.objects.filter(narrow)
        .filter(~Exists(student_rows))
        .values(*keys)
        .annotate(**_aggregate_sums())
        .order_by()
    )
    for row in aggregates:
        _add(result, _key(row, unit), _aggregate_tally(row))
    return result


def _count_into(
    tally: Tally, row: dict[str, Any], threshold: tuple[int | None, int | None] | None
) -> None:
    """Add `row["n"]` students with one result (mark, test score, pass/fail) to `tally`."""
    n, mark, score, passed = row["n"], row["mark"], row["test_score"], row["passed"]
    tally.participants += n
    if mark is not None:
        tally.marked += n
        tally.sum_mark += mark * n
        setattr(tally, f"count_{mark}", getattr(tally, f"count_{mark}") + n)
    if score is not None:
        tally.scored += n
        tally.sum_score += score * n
        index = min(score * SCORE_BINS // 100, SCORE_BINS - 1)
        tally.bins = (*tally.bins[:index], tally.bins[index] + n, *tally.bins[index + 1 :])
        minimum, high = threshold or (None, None)
        if minimum is not None:
            tally.fail_known += n
            tally.fail += n if score < minimum else 0
        if high is not None:
            tally.high_known += n
            tally.high += n if score >= high else 0
    if passed is not None:
        tally.fail_known += n
        tally.fail += 0 if passed else n


def _aggregate_tally(row: dict[str, Any]) -> Tally:
    counts = [row[f"t_count_{mark}"] for mark in (2, 3, 4, 5)]
    return Tally(
        participants=row["t_participants"],
        marked=sum(counts),
        sum_mark=Decimal(sum(m * n for m, n in zip((2, 3, 4, 5), counts, strict=True))),
        count_2=counts[0],
        count_3=counts[1],
        count_4=counts[2],
        count_5=counts[3],
        scored=row["t_scored"],
        sum_score=Decimal(row["t_sum_score"]),
        fail=row["t_fail"],
        fail_known=row["t_fail_known"],
        high=row["t_high"],
        high_known=row["t_high_known"],
    )


def _key(row: dict[str, Any], unit: str) -> Key:
    group = Group(row["procedure_id"], row["subject_id"], int(row["grade"]))
    return (int(row[unit]), group, int(row["year"]))


def _add(result: dict[Key, Tally], key: Key, tally: Tally) -> None:
    result[key] = result[key] + tally if key in result else tally


def roll_up(found: dict[Key, Tally], unit_id: int) -> dict[Key, Tally]:
    """The tallies of `found` summed over its units, as those of one unit `unit_id`."""
    total: dict[Key, Tally] = {}
    for (_unit, group, year), tally in found.items():
        _add(total, (unit_id, group, year), tally)
    return total


@dataclass(frozen=True)
class Catalogue:
    """Names, kinds and order of the procedures and subjects, to label and sort groups."""

    procedures: dict[str, Procedure]
    subjects: dict[str, Subject]

    def kind(self, group: Group) -> str:
        procedure = self.procedures.get(group.procedure)
        return procedure.result_kind if procedure is not None else "mark"

    def sort_key(self, group: Group) -> tuple[Any, ...]:
        procedure = self.procedures.get(group.procedure)
        subject = self.subjects.get(group.subject)
        return (
            procedure.order if procedure else 999,
            group.procedure,
            subject.order if subject else 999,
            group.subject,
            group.grade,
        )

    def procedure_name(self, code: str) -> str:
        procedure = self.procedures.get(code)
        return procedure.short_name if procedure is not None else code

    def subject_name(self, code: str) -> str:
        subject = self.subjects.get(code)
        return subject.name if subject is not None else code

    def title(self, group: Group) -> str:
        """«ВПР · Математика · 5 класс»."""
        return " · ".join(
            (
                self.procedure_name(group.procedure),
                self.subject_name(group.subject),
                f"{group.grade} класс",
            )
        )


def catalogue() -> Catalogue:
    """Every procedure and subject (two small queries)."""
    return Catalogue(
        procedures={p.code: p for p in Procedure.objects.all()},
        subjects={s.code: s for s in Subject.objects.all()},
    )
