"""Reads: result tallies per territory unit, group (procedure × subject × grade) and year.

A *tally* holds additive counts and sums (participants, marks «2»–«5», sums of marks and test
scores, results below the ЕГЭ minimum, high scores, ten-point bins of test scores), so that a
municipality's tally is the sum of its schools' and a region's the sum of its municipalities'.
They are computed in the database with one aggregate query per table (student rows and school
aggregates), grouped by the unit asked for — never one query per school. School aggregates count
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


def _count(condition: Q | None) -> Any:
    return Count("id", filter=condition) if condition is not None else Value(0)


def _any(conditions: list[Q]) -> Q | None:
    if not conditions:
        return None
    query = conditions[0]
    for condition in conditions[1:]:
        query |= condition
    return query


def _reference_conditions(years: list[int]) -> dict[str, Q | None]:
    """Row conditions from the reference values: below minimum, high score, and when known."""
    below, below_known, high, high_known = [], [], [], []
    for value in ReferenceValue.objects.filter(year__in=years).order_by():
        same = Q(year=value.year, procedure_id=value.procedure_id, subject_id=value.subject_id)
        if value.min_score is not None:
            below.append(same & Q(test_score__lt=value.min_score))
            below_known.append(same & Q(test_score__isnull=False))
        if value.high_score is not None:
            high.append(same & Q(test_score__gte=value.high_score))
            high_known.append(same & Q(test_score__isnull=False))
    return {
        "below": _any(below),
        "below_known": _any(below_known),
        "high": _any(high),
        "high_known": _any(high_known),
    }


def _student_aggregates(years: list[int]) -> dict[str, Any]:
    refs = _reference_conditions(years)
    failed = Q(passed=False) | refs["below"] if refs["below"] is not None else Q(passed=False)
    fail_known = Q(passed__isnull=False)
    if refs["below_known"] is not None:
        fail_known |= refs["below_known"]
    aggregates: dict[str, Any] = {
        "t_participants": Count("id"),
        "t_marked": Count("mark"),
        "t_sum_mark": Coalesce(Sum("mark"), 0),
        "t_scored": Count("test_score"),
        "t_sum_score": Coalesce(Sum("test_score"), 0),
        "t_fail": _count(failed),
        "t_fail_known": _count(fail_known),
        "t_high": _count(refs["high"]),
        "t_high_known": _count(refs["high_known"]),
    }
    for mark in (2, 3, 4, 5):
        aggregates[f"t_count_{mark}"] = _count(Q(mark=mark))
    step = 100 // SCORE_BINS
    for index in range(SCORE_BINS):
        upper = {"test_score__lt": (index + 1) * step} if index < SCORE_BINS - 1 else {}
        aggregates[f"t_bin_{index}"] = _count(Q(test_score__gte=index * step, **upper))
    return aggregates


def _aggregate_sums() -> dict[str, Any]:
    decimal = DecimalField(max_digits=14, decimal_places=2)
    participants_if = lambda column: Coalesce(  # noqa: E731
        Sum("participants", filter=Q(**{f"{column}__isnull": False})), 0
    )
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
    years: list[int],
    periods: list[str],
    group: Group | None = None,
    procedure: str = "",
    subject: str = "",
    grade: int | None = None,
) -> dict[Key, Tally]:
    """Tallies of the results matching `where` per (unit at `level`, group, year).

    `where` is a condition on result rows (e.g. `Q(school__municipality__region_id=5)`); the
    optional `group`, or `procedure`/`subject`/`grade`, narrow the groups.
    """
    unit = LEVEL_FIELDS[level]
    keys = (unit, "procedure_id", "subject_id", "grade", "year")
    narrow = (
        where
        & Q(year__in=years, period__in=periods)
        & _group_filter(group, procedure, subject, grade)
    )
    result: dict[Key, Tally] = {}
    students = (
        StudentResult.objects.filter(narrow)
        .values(*keys)
        .annotate(**_student_aggregates(years))
        .order_by()
    )
    for row in students:
        _add(result, _key(row, unit), _tally(row))
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
        counts = [row[f"t_count_{mark}"] for mark in (2, 3, 4, 5)]
        row["t_marked"] = sum(counts)
        row["t_sum_mark"] = sum(m * n for m, n in zip((2, 3, 4, 5), counts, strict=True))
        _add(result, _key(row, unit), _tally(row))
    return result


def _tally(row: dict[str, Any]) -> Tally:
    values = {
        name: row[f"t_{name}"]
        for name in (
            "participants",
            "marked",
            "count_2",
            "count_3",
            "count_4",
            "count_5",
            "scored",
            "fail",
            "fail_known",
            "high",
            "high_known",
        )
    }
    bins = tuple(row.get(f"t_bin_{index}", 0) for index in range(SCORE_BINS))
    return Tally(
        **values,
        sum_mark=Decimal(row["t_sum_mark"]),
        sum_score=Decimal(row["t_sum_score"]),
        bins=bins,
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


def years_with_results(where: Q, periods: list[str]) -> list[int]:
    """The years with results matching `where`, newest first."""
    years: set[int] = set()
    for model in (StudentResult, SchoolResultAggregate):
        rows = model.objects.filter(where, period__in=periods).order_by().values_list("year")
        years.update(int(year) for (year,) in rows.distinct())
    return sorted(years, reverse=True)


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
