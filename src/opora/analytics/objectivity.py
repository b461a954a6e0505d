"""Objectivity (METHODOLOGY §5): `assess_objectivity` runs every registered marker
(`objectivity_registry.MARKERS`; M1, M3, M7 in `objectivity_scores`, M2 in `objectivity_tasks`,
M4, M4T in `objectivity_distribution`, M5 in `objectivity_journal`, M6 in
`objectivity_controlled`, IM_*, MED in `objectivity_marks`) and aggregates them per school-year.
Diagnostic signals for support and observers, never a sanction (`objectivity.use_in_ratings:
false`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from opora.analytics import objectivity_controlled as controlled
from opora.analytics import objectivity_distribution as distribution
from opora.analytics import objectivity_marks as marks
from opora.analytics import objectivity_scores as scores
from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_journal import m5_signals
from opora.analytics.objectivity_registry import (
    MARKERS,
    SIGNAL_KEY,
)
from opora.analytics.objectivity_tasks import m2, task_works
from opora.analytics.schemas import (
    REFERENCE,
    SCHOOLS,
    STUDENT_RESULTS,
    Rows,
    empty_frame,
    lazy_rows,
    validate_frame,
)
from opora.analytics.text import DEFAULT_LABELS, Labels


@dataclass(frozen=True)
class ObjectivityResult:
    """`signals`: every evaluated unit of every marker; `schools`: one row per school × year."""

    signals: pl.DataFrame
    schools: pl.DataFrame
    warnings: list[str] = field(default_factory=list)


def assess_objectivity(
    students: Rows,
    groups: pl.DataFrame,
    schools: pl.DataFrame,
    methodology: Methodology,
    reference: pl.DataFrame | None = None,
    labels: Labels = DEFAULT_LABELS,
    tasks: Rows | None = None,
) -> ObjectivityResult:
    """Run every marker of the registry and aggregate per school-year (METHODOLOGY §5.2, FIS OKO):
    `marker_count` = fired signals of `counted_markers`, `has_signs` = count ≥
    `has_signs_min_markers`, `persistent` = has signs in ≥ `persistent.min_years` of the last
    `persistent.years` years; `shown` = fired markers reported but not counted (M3, M4T by default:
    rank-only signals that also describe ordinary or genuinely strong schools); reasons of all fired."""
    m = methodology
    scope = f"{m.param('methodology.reference_scope')}_id"
    students = lazy_rows(students, STUDENT_RESULTS)
    schools = validate_frame(schools, SCHOOLS)
    reference = validate_frame(
        reference if reference is not None else empty_frame(REFERENCE), REFERENCE
    )
    parts = [
        scores.m1(groups, schools, m, scope, labels),
        scores.m3(groups, schools, m, scope, labels),
        distribution.m4(students, schools, m, scope, labels),
        distribution.m4_top(groups, schools, m, scope, labels),
        m5_signals(students, schools, m, labels),
        controlled.m6(students, reference, schools, m, scope, labels),
        scores.m7(groups, schools, m, scope, labels),
        marks.internal_marks(students, reference, schools, m, scope, labels),
        marks.medals(students, schools, m, scope),
    ]
    warnings = []
    works = None if tasks is None else task_works(tasks, m)
    if tasks is None or works is None or works.is_empty():
        warnings.append(
            f"{MARKERS['M2'].code} «{MARKERS['M2'].name}» не оценивается: нет поэлементных баллов."
        )
    else:
        parts.append(m2(tasks, schools, m, scope, labels, works=works))
    signals = pl.concat(parts).sort(SIGNAL_KEY, nulls_last=True)
    return ObjectivityResult(signals, _per_school(signals, m), warnings)


def _per_school(signals: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    years, min_years = (
        m.param("objectivity.persistent.years"),
        m.param("objectivity.persistent.min_years"),
    )
    counted = pl.col("fired") & pl.col("marker").is_in(list(m.param("objectivity.counted_markers")))
    per = (
        signals.group_by("school_id", "year")
        .agg(
            marker_count=counted.sum().cast(pl.Int64),
            markers=pl.col("marker").filter(counted).unique().sort(),
            shown=pl.col("marker").filter(pl.col("fired") & ~counted).unique().sort(),
            reasons=pl.col("reason").filter(pl.col("fired")).sort(),
        )
        .with_columns(
            has_signs=pl.col("marker_count") >= m.param("objectivity.has_signs_min_markers")
        )
        .sort("school_id", "year")
    )
    window = per.select("school_id", "year", "has_signs").join(
        per.select("school_id", y2="year", s2="has_signs"), on="school_id"
    )
    window = (
        window.filter((pl.col("y2") <= pl.col("year")) & (pl.col("y2") > pl.col("year") - years))
        .group_by("school_id", "year")
        .agg(years_with_signs=pl.col("s2").sum().cast(pl.Int64))
    )
    return (
        per.join(window, on=["school_id", "year"], how="left")
        .with_columns(persistent=pl.col("years_with_signs") >= min_years)
        .select(
            "school_id",
            "year",
            "marker_count",
            "has_signs",
            "persistent",
            "markers",
            "shown",
            "reasons",
        )
        .sort("school_id", "year")
    )
