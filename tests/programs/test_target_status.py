"""The status rule of targets: exact cases and properties (no database)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from opora.programs.choices import TargetDirection, TargetStatus
from opora.programs.target_status import RuleParams, YearPoint, target_status, year_status

RULE = RuleParams(on_track_share=Decimal("0.5"), no_baseline_tolerance=Decimal("0.1"))
UP, DOWN = TargetDirection.HIGHER_BETTER, TargetDirection.LOWER_BETTER
D = Decimal


def status(direction: str, baseline: str | None, target: str, actual: str | None) -> str:
    return year_status(
        direction=direction,
        baseline=None if baseline is None else D(baseline),
        target=D(target),
        actual=None if actual is None else D(actual),
        rule=RULE,
    )


def test_higher_is_better_with_a_baseline() -> None:
    assert status(UP, "40", "60", "60") == TargetStatus.ACHIEVED
    assert status(UP, "40", "60", "65") == TargetStatus.ACHIEVED
    assert status(UP, "40", "60", "50") == TargetStatus.ON_TRACK  # half of the way
    assert status(UP, "40", "60", "49.9") == TargetStatus.BEHIND
    assert status(UP, "40", "60", "35") == TargetStatus.BEHIND


def test_lower_is_better_with_a_baseline() -> None:
    # ВПР «2»: from 20 % to at most 10 %.
    assert status(DOWN, "20", "10", "9") == TargetStatus.ACHIEVED
    assert status(DOWN, "20", "10", "15") == TargetStatus.ON_TRACK
    assert status(DOWN, "20", "10", "15.1") == TargetStatus.BEHIND
    assert status(DOWN, "20", "10", "25") == TargetStatus.BEHIND


def test_without_a_usable_baseline_the_tolerance_decides() -> None:
    assert status(UP, None, "80", "72") == TargetStatus.ON_TRACK  # 10 % of 80 short
    assert status(UP, None, "80", "71.9") == TargetStatus.BEHIND
    assert status(DOWN, None, "5", "5.5") == TargetStatus.ON_TRACK
    assert status(DOWN, None, "5", "5.6") == TargetStatus.BEHIND
    # a baseline already beyond the target is no way to measure progress: the tolerance decides
    assert status(UP, "90", "80", "75") == TargetStatus.ON_TRACK
    assert status(UP, "90", "80", "71") == TargetStatus.BEHIND


def test_no_actual_or_no_target_is_no_data() -> None:
    assert status(UP, "40", "60", None) == TargetStatus.NO_DATA
    assert (
        year_status(direction=UP, baseline=None, target=None, actual=D("1"), rule=RULE)
        == TargetStatus.NO_DATA
    )


def test_target_status_is_that_of_the_latest_year_with_both_values() -> None:
    points = [
        YearPoint(2024, D("60"), D("61")),
        YearPoint(2025, D("70"), D("54")),
        YearPoint(2026, D("80"), None),
    ]
    assert target_status(direction=UP, baseline=D("40"), points=points, rule=RULE) == (
        TargetStatus.BEHIND,
        2025,
    )
    assert target_status(direction=UP, baseline=None, points=[], rule=RULE) == (
        TargetStatus.NO_DATA,
        None,
    )


ORDER = {TargetStatus.BEHIND: 0, TargetStatus.ON_TRACK: 1, TargetStatus.ACHIEVED: 2}
numbers = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)


@given(
    baseline=st.one_of(st.none(), numbers),
    target=numbers,
    actual=numbers,
    better=st.decimals(min_value=0, max_value=100, places=2),
    up=st.booleans(),
)
def test_a_better_actual_never_gets_a_worse_status(
    baseline: Decimal | None, target: Decimal, actual: Decimal, better: Decimal, up: bool
) -> None:
    direction = UP if up else DOWN
    improved = actual + better if up else actual - better
    before = year_status(
        direction=direction, baseline=baseline, target=target, actual=actual, rule=RULE
    )
    after = year_status(
        direction=direction, baseline=baseline, target=target, actual=improved, rule=RULE
    )
    assert ORDER[after] >= ORDER[before]


@given(baseline=st.one_of(st.none(), numbers), target=numbers, up=st.booleans())
def test_reaching_the_target_exactly_is_achieved(
    baseline: Decimal | None, target: Decimal, up: bool
) -> None:
    direction = UP if up else DOWN
    assert (
        year_status(direction=direction, baseline=baseline, target=target, actual=target, rule=RULE)
        == TargetStatus.ACHIEVED
    )
