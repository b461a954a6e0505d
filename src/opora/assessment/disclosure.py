"""Who sees which result figures in full, and the figures as shown.

A figure of a unit (a school, a municipality, a region) is shown in full to a user who holds
`results.view` over the whole unit. Anyone else — the observer, or a school or municipality user
looking at the municipality or region it is compared with — sees a group of fewer than
`general.suppression.public_n_min` participants (METHODOLOGY §1, 10 by default) as «менее N
участников». With `general.suppression.complementary` on, a second figure is hidden where the shown
ones would reveal a hidden one: a total next to a part when the rest is a small group, and the
smallest other figure of a list in which exactly one is hidden.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from opora.accounts.policy import Scope, scope_of
from opora.accounts.roles import Capability
from opora.analytics.methodology import load_preset
from opora.assessment.figures import SCORE_BINS, Tally

MARKS = (2, 3, 4, 5)
SMALL = "small"  # the group has fewer participants than the minimum
COMPLEMENTARY = "complementary"  # shown, it would reveal a small group next to it
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Unit:
    """A territory unit whose results are shown: a school, a municipality or a region."""

    level: str  # "school", "municipality" or "region"
    pk: int
    name: str
    region_id: int
    municipality_id: int | None = None


@cache
def _suppression() -> tuple[int, bool]:
    methodology = load_preset()
    return (
        int(methodology.param("general.suppression.public_n_min")),
        bool(methodology.param("general.suppression.complementary")),
    )


@cache
def periods() -> list[str]:
    """The periods that count (methodology `general.periods`, the main period by default)."""
    return [str(p) for p in load_preset().param("general.periods")]


@dataclass(frozen=True)
class Viewer:
    """What one user sees in full, and the suppression rule for everything else."""

    scope: Scope
    n_min: int
    complementary: bool

    def in_full(self, unit: Unit) -> bool:
        """Whether the user holds `results.view` over all of `unit`."""
        scope = self.scope
        if scope.everything or unit.region_id in scope.region_ids:
            return True
        if unit.level == "region":
            return False
        if unit.municipality_id in scope.municipality_ids:
            return True
        return unit.level == "school" and unit.pk in scope.school_ids

    def figure(self, unit: Unit, tally: Tally | None, kind: str) -> "Figure":
        """The figure of `unit` as this user sees it."""
        small = tally is not None and 0 < tally.participants < self.n_min
        full = self.in_full(unit)
        return Figure(
            kind=kind,
            tally=tally,
            hidden=small and not full,
            reason=SMALL if small and not full else "",
            full=full,
            n_min=self.n_min,
        )

    def guard_total(self, total: "Figure", part: "Figure") -> None:
        """Hide a total whose difference from a shown part is a small group of others."""
        if not self.complementary or total.full or total.hidden or not part.known:
            return
        if part.hidden or total.tally is None or part.tally is None:
            return
        rest = total.tally.participants - part.tally.participants
        if 0 < rest < self.n_min:
            total.hide(COMPLEMENTARY)

    def guard_list(self, figures: list["Figure"]) -> None:
        """Hide the smallest other figure of a list in which exactly one is hidden."""
        if not self.complementary:
            return
        exposed = [f for f in figures if f.known and not f.full]
        if sum(f.hidden for f in exposed) != 1:
            return
        others = [f for f in exposed if not f.hidden]
        if others:
            min(others, key=lambda f: f.participants or 0).hide(COMPLEMENTARY)


def viewer_for(user: Any) -> Viewer:
    """The viewer of `user`: the `results.view` scope and the methodology's suppression rule."""
    n_min, complementary = _suppression()
    return Viewer(
        scope=scope_of(user, Capability.RESULTS_VIEW), n_min=n_min, complementary=complementary
    )


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Share:
    """One bar of a distribution: its label, count and share of the known results in %."""

    label: str
    count: int
    share: Decimal | None


def bin_labels() -> list[str]:
    """«0–9», «10–19», …, «90–100»."""
    step = 100 // SCORE_BINS
    labels = [f"{i * step}–{(i + 1) * step - 1}" for i in range(SCORE_BINS - 1)]
    return [*labels, f"{(SCORE_BINS - 1) * step}–100"]


@dataclass
class Figure:
    """The figures of one unit, group and year as one user sees them.

    The mean is the mean mark (marks 2–5) or the mean test score (ЕГЭ); the fail share is the
    share of «2», of scores below the year's minimum, or of «незачёт»; the top share is the share of
    «4» and «5» or of scores at or above the year's high-score threshold.
    """

    kind: str
    tally: Tally | None
    hidden: bool = False
    reason: str = ""  # SMALL or COMPLEMENTARY when hidden
    full: bool = True
    n_min: int = 0

    def hide(self, reason: str) -> None:
        self.hidden, self.reason = True, reason

    @property
    def known(self) -> bool:
        return self.tally is not None and self.tally.participants > 0

    @property
    def shown(self) -> bool:
        return self.known and not self.hidden

    @property
    def participants(self) -> int | None:
        return self.tally.participants if self.shown and self.tally else None

    @property
    def small(self) -> bool:
        """Shown in full although under the minimum group size."""
        return self.shown and (self.participants or 0) < self.n_min

    @property
    def mean(self) -> Decimal | None:
        tally = self.tally
        if not self.shown or tally is None:
            return None
        if self.kind == "score" and tally.scored:
            return (tally.sum_score / tally.scored).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if self.kind == "mark" and tally.marked:
            return (tally.sum_mark / tally.marked).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return None

    @property
    def share_fail(self) -> Decimal | None:
        tally = self.tally
        if not self.shown or tally is None:
            return None
        if self.kind == "mark":
            return _percent(tally.count_2, tally.marked)
        return _percent(tally.fail, tally.fail_known)

    @property
    def share_top(self) -> Decimal | None:
        tally = self.tally
        if not self.shown or tally is None:
            return None
        if self.kind == "mark":
            return _percent(tally.count_4 + tally.count_5, tally.marked)
        if self.kind == "score":
            return _percent(tally.high, tally.high_known)
        return None

    @property
    def distribution(self) -> list[Share]:
        """Shares of the marks «2»–«5», of ten-point score bins, or of «зачёт»/«незачёт»."""
        tally = self.tally
        if not self.shown or tally is None:
            return []
        if self.kind == "mark":
            counts = [getattr(tally, f"count_{mark}") for mark in MARKS]
            return [
                Share(f"«{mark}»", n, _percent(n, tally.marked))
                for mark, n in zip(MARKS, counts, strict=True)
            ]
        if self.kind == "score":
            total = sum(tally.bins)
            return [
                Share(label, n, _percent(n, total))
                for label, n in zip(bin_labels(), tally.bins, strict=True)
            ]
        passed = tally.fail_known - tally.fail
        return [
            Share("зачёт", passed, _percent(passed, tally.fail_known)),
            Share("незачёт", tally.fail, _percent(tally.fail, tally.fail_known)),
        ]


def labels(kind: str) -> dict[str, str]:
    """Russian names of the mean, fail share and top share of a kind of procedure."""
    if kind == "score":
        return {
            "mean": "средний тестовый балл",
            "fail": "доля ниже минимального балла, %",
            "top": "доля высоких баллов, %",
        }
    if kind == "pass_fail":
        return {"mean": "", "fail": "доля «незачёт», %", "top": ""}
    return {"mean": "средняя отметка", "fail": "доля «2», %", "top": "доля «4» и «5», %"}


def public_n_min() -> int:
    """The minimum group size of public figures (methodology `general.suppression`)."""
    return _suppression()[0]
