"""M2 — easy/hard task inversion, by hand on three schools (METHODOLOGY §5.2)."""

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opora.analytics.methodology import load_preset
from opora.analytics.objectivity import assess_objectivity
from opora.analytics.objectivity_tasks import m2
from opora.analytics.results import group_results
from opora.analytics.schemas import STUDENT_RESULTS, empty_frame

from .frames import schools, vpr
from .m2_exploded import m2_exploded

M = load_preset().with_overrides({"objectivity.m2.n_min": 2, "objectivity.m2.expected": "region"})
SAME_TOTAL = M.with_overrides({"objectivity.m2.expected": "same_total"})
SCHOOLS = schools([(s, 1, 1) for s in (1, 2, 3)])
# Two pupils per school, tasks worth (as scored at most in the region) 1, 2 and 2 points.
PUPILS = {
    1: [[0, 2, 2], [0, 2, 2]],  # nothing on the easy task, everything on the hard ones
    2: [[1, 1, 0], [1, 0, None]],
    3: [[1, 1, 1], [1, 2, 0]],
}


def _tasks(order: list[int] | None = None, pupils_of=PUPILS) -> pl.DataFrame:
    rows = [
        {"school_id": s, "year": 2024, "procedure": "vpr", "subject": "math", "grade": 5,
         "task_scores": scores}
        for s, pupils in pupils_of.items()
        for scores in pupils
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema_overrides={"task_scores": pl.List(pl.Int64)})
    return frame if order is None else frame[order]


def test_slopes_threshold_and_firing_by_hand() -> None:  # `expected: region`
    # Region: p_R = (4/6, 8/12, 5/12), d = (1/3, 1/3, 7/12), weights m_j = (1, 2, 2).
    # School 1: D = (−2/3, 1/3, 7/12) → b = 0,175 / 0,075 = 7/3, mean D = 1/12 > 0.
    # School 2: D = (1/3, −5/12, −5/12) → b = −0,075 / 0,075 = −1.
    # School 3: D = (1/3, 1/12, −1/6) → b = −0,1 / 0,075 = −4/3.
    # B_CRIT = 95th percentile (linear) of (−4/3, −1, 7/3): −1 + 0,9 · (7/3 + 1) = 2.
    out = m2(_tasks(), SCHOOLS, M, "region_id").sort("school_id")
    assert out["value"].to_list() == pytest.approx([7 / 3, -1.0, -4 / 3])
    assert out["threshold"].to_list() == pytest.approx([2.0, 2.0, 2.0])
    assert out["reference"].to_list() == pytest.approx([1 / 12, -1 / 6, 1 / 12])
    assert out["fired"].to_list() == [True, False, False]
    assert out["reason"][0] == (
        "ВПР, математика, 5 класс, 2024: школа тем сильнее региона, чем труднее задание — наклон "
        "b = 2,33 (порог — 95-й процентиль по 3 школам, 2,00); средняя разница с регионом по 3 "
        "заданиям +8,3\u00a0п.п.; N = 2"
    )
    assert out["reason"][1:].to_list() == [None, None]


def test_row_order_changes_nothing_and_small_schools_are_not_evaluated() -> None:
    base = m2(_tasks(), SCHOOLS, M, "region_id")
    assert m2(_tasks([5, 0, 3, 1, 4, 2]), SCHOOLS, M, "region_id").equals(base)
    strict = m2(_tasks(), SCHOOLS, load_preset(), "region_id")  # default n_min 15: nobody
    assert strict.is_empty()


def test_objectivity_runs_m2_only_with_task_scores() -> None:
    empty = empty_frame(STUDENT_RESULTS)
    groups = group_results(
        M, aggregates=pl.DataFrame([vpr(s, 2024, "math", 5, 20, 1, 9.0) for s in (1, 2, 3)])
    )
    without = assess_objectivity(empty, groups, SCHOOLS, M, tasks=None)
    assert any("M2" in w for w in without.warnings)
    with_tasks = assess_objectivity(empty, groups, SCHOOLS, M, tasks=_tasks())
    assert not any("M2" in w for w in with_tasks.warnings)
    fired = with_tasks.signals.filter(pl.col("fired") & (pl.col("marker") == "M2"))
    assert fired["school_id"].to_list() == [1]


# Three tasks worth 1 point each. School 1 strong and honest (easy tasks first), school 2 weak
# and honest, school 3 with its points on the harder tasks.
SHAPES = {1: [[1, 1, 1], [1, 1, 0]], 2: [[1, 0, 0], [1, 0, 0]], 3: [[0, 1, 1], [0, 1, 1]]}


def _shaped() -> pl.DataFrame:
    return _tasks(pupils_of=SHAPES)


def test_same_total_takes_the_school_level_out_by_hand() -> None:
    # p_R = (4/6, 4/6, 3/6), d = (1/3, 1/3, 1/2), d − d̄ = (−1/18, −1/18, 1/9), Σ(d − d̄)² = 1/54.
    # Scope means per task among pupils with the same total: total 3 → (1, 1, 1) (school 1);
    # total 2 → (1/3, 1, 2/3) (school 1's [1,1,0] and school 3's two [0,1,1]); total 1 → (1, 0, 0).
    # School 1: expected (2/3, 1, 5/6), scored (1, 1, 1/2) → E = (1/3, 0, −1/3) → b = −1/18 · 54 = −3.
    # School 2: expected = scored → E = 0 → b = 0. School 3: E = (−1/3, 0, 1/3) → b = 3.
    # B_CRIT = 95th percentile (linear) of (−3, 0, 3) = 2,7; mean D (region-relative):
    # school 1 (1/3, 1/3, 0) → 2/9; school 2 → −5/18; school 3 (−2/3, 1/3, 1/2) → 1/18.
    out = m2(_shaped(), SCHOOLS, SAME_TOTAL, "region_id").sort("school_id")
    assert out["value"].to_list() == pytest.approx([-3.0, 0.0, 3.0])
    assert out["threshold"].to_list() == pytest.approx([2.7] * 3)
    assert out["reference"].to_list() == pytest.approx([2 / 9, -5 / 18, 1 / 18])
    assert out["fired"].to_list() == [False, False, True]
    assert out["reason"][2] == (
        "ВПР, математика, 5 класс, 2024: школа тем сильнее участников региона с тем же общим "
        "баллом, чем труднее задание — наклон b = 3,00 (порог — 95-й процентиль по 3 школам, "
        "2,70); средняя разница с регионом по 3 заданиям +5,6\u00a0п.п.; N = 2"
    )
    # `region`: D itself. School 1 D = (1/3, 1/3, 0) → b = −1/27 · 54 = −2; school 2
    # (1/3, −2/3, −1/2) → −2; school 3 → 2/27 · 54 = 4; B_CRIT = −2 + 0,9 · 6 = 3,4.
    region = m2(_shaped(), SCHOOLS, M, "region_id").sort("school_id")
    assert region["value"].to_list() == pytest.approx([-2.0, -2.0, 4.0])
    assert region["threshold"].to_list() == pytest.approx([3.4] * 3)
    assert region["reference"].to_list() == pytest.approx(out["reference"].to_list())


_pupil = st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=4, max_size=4)


@settings(max_examples=60, deadline=None)
@given(
    pupils=st.lists(
        st.tuples(st.integers(1, 3), st.sampled_from([4, 5]), _pupil), min_size=6, max_size=40
    ),
    expected=st.sampled_from(["region", "same_total"]),
)
@example(  # found in CI: the mean of D differed in its last bits
    pupils=[(1, 5, [None, 1, None, None])] * 4
    + [(2, 5, [None, 1, None, None]), (1, 5, [1, None, 1, None])],
    expected="region",
)
def test_the_wide_computation_equals_one_row_per_participant_and_task(pupils, expected) -> None:
    """The per-work wide M2 gives what the former exploded M2 gave (`m2_exploded.py`) for both
    ways of measuring against expectation, up to the last bits of the float sums (and so the
    firing where a slope ties its threshold): grade 4 has four tasks, grade 5 three. (With lists of
    different lengths in one work the wide form gives a school the work's every task, 0 points
    on those its participants lack; the exploded form left such a task out of that school.)"""
    rows = [
        {"school_id": s, "year": 2024, "procedure": "vpr", "subject": "rus", "grade": g,
         "task_scores": scores[: 8 - g]}
        for s, g, scores in pupils
    ]  # fmt: skip
    frame = pl.DataFrame(rows, schema_overrides={"task_scores": pl.List(pl.Int64)})
    methodology = M.with_overrides({"objectivity.m2.expected": expected})
    wide = m2(frame, SCHOOLS, methodology, "region_id")
    exploded = m2_exploded(frame, SCHOOLS, methodology, "region_id")
    floats = ["value", "threshold", "reference"]  # sums in another layout: the last bits differ
    assert wide.drop(*floats, "fired", "reason").equals(exploded.drop(*floats, "fired", "reason"))
    for column in floats:
        assert wide[column].to_list() == pytest.approx(
            exploded[column].to_list(), rel=1e-12, abs=1e-15
        )
    gap = (exploded["value"] - exploded["threshold"]).abs()
    clear = (gap > 1e-9 * exploded["threshold"].abs().clip(1.0)).to_list()  # not a tie
    decided = zip(clear, wide["fired"], exploded["fired"], strict=True)
    assert all(a == b for is_clear, a, b in decided if is_clear)
    assert (wide["reason"].is_null() == ~wide["fired"]).all()


def test_a_lazy_frame_gives_the_same_signals() -> None:
    frame = _shaped()
    assert m2(frame.lazy(), SCHOOLS, SAME_TOTAL, "region_id").equals(
        m2(frame, SCHOOLS, SAME_TOTAL, "region_id")
    )
