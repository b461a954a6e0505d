"""The status of a target indicator by a rule whose parameters are data (`TargetStatusRule`).

Pure functions of numbers, so the rule is tested without a database:

- **achieved** (достигнут): the actual value is at least as good as the target value;
- **on track** (в графике): not achieved, but the actual value has covered at least
  `on_track_share` of the way from the baseline to the target; without a usable baseline
  (none, or already beyond the target), when it falls short of the target by at most
  `no_baseline_tolerance` × |target|;
- **behind** (отстаёт): otherwise;
- **no data** (нет данных): no target or no actual value for the year.

"At least as good" follows the direction: more is better, or less is better.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from opora.programs.choices import TargetDirection, TargetStatus


@dataclass(frozen=True)
class RuleParams:
    on_track_share: Decimal
    no_baseline_tolerance: Decimal


@dataclass(frozen=True)
class YearPoint:
    year: int
    target: Decimal | None
    actual: Decimal | None


def year_status(
    *,
    direction: str,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    rule: RuleParams,
) -> TargetStatus:
    """The status of one year's actual value against its target."""
    if target is None or actual is None:
        return TargetStatus.NO_DATA
    sign = Decimal(1) if direction == TargetDirection.HIGHER_BETTER else Decimal(-1)
    if sign * (actual - target) >= 0:
        return TargetStatus.ACHIEVED
    if baseline is not None and sign * (target - baseline) > 0:
        progress = (actual - baseline) / (target - baseline)
        return TargetStatus.ON_TRACK if progress >= rule.on_track_share else TargetStatus.BEHIND
    shortfall = sign * (target - actual)
    if shortfall <= rule.no_baseline_tolerance * abs(target):
        return TargetStatus.ON_TRACK
    return TargetStatus.BEHIND


def target_status(
    *,
    direction: str,
    baseline: Decimal | None,
    points: Iterable[YearPoint],
    rule: RuleParams,
) -> tuple[TargetStatus, int | None]:
    """The status of the latest year that has both a target and an actual value, and that year."""
    known = [p for p in points if p.target is not None and p.actual is not None]
    if not known:
        return TargetStatus.NO_DATA, None
    last = max(known, key=lambda p: p.year)
    status = year_status(
        direction=direction, baseline=baseline, target=last.target, actual=last.actual, rule=rule
    )
    return status, last.year
