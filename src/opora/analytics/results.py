"""Procedure groups: student rows and school aggregates reduced to one row per school × year ×
procedure × subject × grade (p in METHODOLOGY §1), the input of indicators and rules.

`n_fail` (METHODOLOGY §1): a mark «2» where the procedure gives marks (ВПР, ОГЭ, ЕГЭ базовая);
a test score below the year's minimum from the `reference` frame where it gives scores (ЕГЭ).
No minimum in the reference → `n_fail` is null («не оценивается»), never zero.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.ordering import Packing, plan_packing, sort_rows
from opora.analytics.schemas import (
    GROUPS,
    REFERENCE,
    SCHOOL_AGGREGATES,
    STUDENT_RESULTS,
    Rows,
    collect,
    conform_frame,
    empty_frame,
    lazy_rows,
    validate_frame,
)
from opora.analytics.text import DEFAULT_PROCEDURES, DEFAULT_SUBJECTS

GROUP_KEY = ["school_id", "year", "procedure", "subject", "grade"]


def _counts(mark: pl.Expr) -> dict[str, pl.Expr]:
    """Counts and sums of a group's rows (every row of the counted periods)."""
    score = pl.coalesce("test_score", "primary_score").cast(pl.Int64)
    return {
        "n": pl.len(),
        "_fail_marked": (mark == 2).sum(),
        "n_marked": mark.count(),
        "n_good": (mark >= 4).sum(),
        "n_top": (mark == 5).sum(),
        "sum_mark": mark.sum().cast(pl.Float64),
        "n_scored": score.count(),
        "sum_score": score.sum().cast(pl.Float64),
        "sum_sq": (score * score).sum(),
    }


# Marks «2»–«5» counted in one sum: a row adds 1 << 16·(mark − 2) (four 16-bit counters in
# one unsigned 64-bit integer), exact while no group has 2¹⁶ rows or a mark outside 2–5.
MARK_BITS = 16
MARKED = ["_fail_marked", "n_good", "n_top", "sum_mark"]


def _mark_counts(mark: pl.Expr) -> dict[str, pl.Expr]:
    """`_counts` with the marks counted by `_marks` (see `MARK_BITS`)."""
    one = pl.lit(0, pl.UInt64)
    for value in (5, 4, 3, 2):
        bit = pl.lit(1 << MARK_BITS * (value - 2), pl.UInt64)
        one = pl.when(mark == value).then(bit).otherwise(one)
    counts = _counts(mark)
    return {
        "_marks": one.sum(),
        **{k: v for k, v in counts.items() if k not in MARKED},
    }


def _unpack_marks(counts: pl.DataFrame) -> pl.DataFrame | None:
    """The mark counts of `_mark_counts` as `_counts` gives them; None unless exact (every group
    under 2¹⁶ rows, the four counters adding up to the marks counted)."""
    if counts.is_empty():
        return None
    c = [(pl.col("_marks") // (1 << MARK_BITS * k)) % (1 << MARK_BITS) for k in range(4)]
    out = counts.with_columns(
        _fail_marked=c[0].cast(pl.UInt32),
        n_good=(c[2] + c[3]).cast(pl.UInt32),
        n_top=c[3].cast(pl.UInt32),
        sum_mark=(2 * c[0] + 3 * c[1] + 4 * c[2] + 5 * c[3]).cast(pl.Float64),
        _sum=c[0] + c[1] + c[2] + c[3],
    )
    exact = out.select(
        (pl.col("n").max() < 1 << MARK_BITS) & (pl.col("_sum") == pl.col("n_marked")).all()
    ).item()
    order = list(_counts(pl.col("mark")))
    return out.select("_k", *order) if exact else None


def _tested(mark: pl.Expr, test: pl.Expr, low: pl.Expr, high: pl.Expr) -> dict[str, pl.Expr]:
    """Counts of a group's rows with a test score (ЕГЭ), given the year's minimum and high
    score of each row: below the minimum where there is no mark, high scores."""
    return {
        "_fail_tested": pl.when(mark.is_null()).then(test < low).sum(),
        "_known_tested": (mark.is_null() & low.is_not_null()).sum(),
        "n_high": (test >= high).sum(),
        "n_high_known": high.is_not_null().sum(),
    }


TESTED = ["_fail_tested", "_known_tested", "n_high", "n_high_known"]
# The procedure and subject codes expected in student rows: rows are grouped by one packed
# integer when every value is among them (any other value: grouped by the columns).
VALUES = {"procedure": tuple(DEFAULT_PROCEDURES), "subject": tuple(DEFAULT_SUBJECTS)}


def _from_students(students: pl.LazyFrame, reference: pl.DataFrame) -> pl.DataFrame:
    """Two streaming passes: every row for the counts and sums; the rows with a test score
    (ЕГЭ) with the reference for the share below the minimum and the high scores. Sorted by
    `GROUP_KEY`."""
    packing = plan_packing(students, GROUP_KEY, VALUES)
    joined = _packed(students, reference, packing) if packing is not None else None
    if joined is None:
        joined = _by_columns(students, reference)
    return (
        joined.lazy()
        .with_columns(pl.col(TESTED).fill_null(0))
        .with_columns(
            n_fail=pl.col("_fail_marked") + pl.col("_fail_tested"),
            n_fail_known=pl.col("n_marked") + pl.col("_known_tested"),
        )
        # Integer sums make the variance independent of the order of rows.
        .with_columns(
            score_var=pl.when(pl.col("n_scored") > 1).then(
                (pl.col("sum_sq") - pl.col("sum_score") ** 2 / pl.col("n_scored"))
                / (pl.col("n_scored") - 1)
            )
        )
        .with_columns(
            n_fail=pl.when(pl.col("n_fail_known") > 0).then("n_fail"),
            n_high=pl.when(pl.col("n_high_known") > 0).then("n_high"),
        )
        .drop(*TESTED[:2], "_fail_marked", "n_high_known", "sum_sq")
        .collect()
    )


def _packed(
    students: pl.LazyFrame, reference: pl.DataFrame, packing: Packing
) -> pl.DataFrame | None:
    """The groups by one packed key (sorted by it, so by `GROUP_KEY`); None when a procedure
    or subject is not among the expected values."""
    mark, test = pl.col("mark"), pl.col("test_score")
    counts = collect(students.group_by(_k=packing.key()).agg(**_mark_counts(mark)))
    if counts["_k"].null_count():  # a procedure or subject not listed
        return None
    unpacked = _unpack_marks(counts)
    if unpacked is None:
        unpacked = collect(students.group_by(_k=packing.key()).agg(**_counts(mark)))
    tested = collect(
        students.filter(test.is_not_null())
        .join(reference.lazy(), on=["year", "procedure", "subject"], how="left")
        .group_by(_k=packing.key())
        .agg(**_tested(mark, test, pl.col("min_score"), pl.col("high_score")))
    )
    return (
        unpacked.sort("_k")
        .join(tested.sort("_k"), on="_k", how="left", maintain_order="left")
        .select(*packing.unpack("_k"), pl.exclude("_k"))
    )


def _by_columns(students: pl.LazyFrame, reference: pl.DataFrame) -> pl.DataFrame:
    """The groups by the key columns (any values, nulls), sorted by `GROUP_KEY`."""
    mark, test = pl.col("mark"), pl.col("test_score")
    counts = collect(students.group_by(GROUP_KEY).agg(**_counts(mark)))
    tested = collect(
        students.filter(test.is_not_null())
        .join(reference.lazy(), on=["year", "procedure", "subject"], how="left")
        .group_by(GROUP_KEY)
        .agg(**_tested(mark, test, pl.col("min_score"), pl.col("high_score")))
    )
    return sort_rows(counts.join(tested, on=GROUP_KEY, how="left"), GROUP_KEY)


def _from_aggregates(aggregates: pl.DataFrame) -> pl.LazyFrame:
    counts = [pl.col(f"count_{mark}") for mark in (2, 3, 4, 5)]
    has_marks = pl.any_horizontal([c.is_not_null() for c in counts])
    n_marked = pl.sum_horizontal([c.fill_null(0) for c in counts])
    sum_mark = pl.sum_horizontal(
        [c.fill_null(0) * m for c, m in zip(counts, (2, 3, 4, 5), strict=True)]
    )
    mean_score = pl.coalesce("mean_test_score", "mean_primary_score")
    return (
        aggregates.lazy()
        .with_columns(
            n=pl.col("participants"),
            n_fail=pl.coalesce("count_2", "count_below_min"),
            n_fail_known=pl.when(pl.col("count_2").is_not_null())
            .then(n_marked)
            .when(pl.col("count_below_min").is_not_null())
            .then(pl.col("participants")),
            n_good=pl.when(has_marks).then(
                pl.col("count_4").fill_null(0) + pl.col("count_5").fill_null(0)
            ),
            n_marked=pl.when(has_marks).then(n_marked),
            sum_mark=pl.when(has_marks).then(sum_mark).cast(pl.Float64),
            n_scored=pl.when(mean_score.is_not_null()).then(pl.col("participants")),
            sum_score=mean_score * pl.col("participants"),
            n_high=pl.col("count_high"),
            n_top=pl.when(has_marks).then(pl.col("count_5").fill_null(0)),
            score_var=pl.lit(None, pl.Float64),
        )
        .group_by(GROUP_KEY)
        .agg(
            pl.col(name).sum() if name != "score_var" else pl.col(name).first()
            for name in GROUPS.columns
            if name not in GROUP_KEY
        )
    )


def group_results(
    methodology: Methodology,
    students: Rows | None = None,
    aggregates: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Reduce student rows and school aggregates to procedure groups (schema `GROUPS`).

    Only the periods listed in `general.periods` count (the main period by default, so retakes
    are not counted twice). A group present in both inputs is taken from the student rows.
    Adds `fail_share`, `good_share`, `mean_mark`, `mean_score`, `high_share`.
    """
    periods = list(methodology.param("general.periods"))
    counted = (
        pl.col("period") == periods[0] if len(periods) == 1 else pl.col("period").is_in(periods)
    )
    rows = lazy_rows(
        students if students is not None else empty_frame(STUDENT_RESULTS), STUDENT_RESULTS
    ).filter(counted)
    aggregates = validate_frame(
        aggregates if aggregates is not None else empty_frame(SCHOOL_AGGREGATES), SCHOOL_AGGREGATES
    ).filter(pl.col("period").is_in(periods))
    reference = validate_frame(
        reference if reference is not None else empty_frame(REFERENCE), REFERENCE
    )
    columns = list(GROUPS.columns)
    from_students = _from_students(rows, reference).select(columns)
    pending = _from_aggregates(aggregates).select(columns)
    if aggregates.height and from_students.height:
        pending = pending.join(from_students.lazy().select(GROUP_KEY), on=GROUP_KEY, how="anti")
    from_aggregates = pending.collect()
    if not from_aggregates.height:  # the student groups come sorted
        return with_shares(conform_frame(from_students, GROUPS))
    groups = pl.concat(
        [conform_frame(from_students, GROUPS), conform_frame(from_aggregates, GROUPS)]
    )
    return sort_rows(with_shares(groups), GROUP_KEY)


def with_shares(groups: pl.DataFrame) -> pl.DataFrame:
    """Add the derived values of each group (null where the denominator is zero or unknown)."""

    def ratio(num: str, den: str) -> pl.Expr:
        return pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den))

    return groups.with_columns(
        fail_share=ratio("n_fail", "n_fail_known"),
        good_share=ratio("n_good", "n_marked"),
        mean_mark=ratio("sum_mark", "n_marked"),
        mean_score=ratio("sum_score", "n_scored"),
        high_share=ratio("n_high", "n_scored"),
    )
