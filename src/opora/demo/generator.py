"""The deterministic demo region: `generate_demo(seed)` runs the ordered `STEPS`.

Each step is a callable taking the `DemoContext`; it reads what earlier steps created and adds
its own objects. Later capabilities (results, programs, support) append their steps to `STEPS`
and draw from `ctx.rng_for("<their name>")`, so the region built before them stays the same.
"""

import random
from collections.abc import Callable, Sequence

from django.db import transaction

from opora.analysis.demo import build_analysis
from opora.demo.audit import record_audit
from opora.demo.context import DemoContext, ProgressCallback, step_label
from opora.demo.programs import build_programs
from opora.demo.results import build_results
from opora.demo.schools import build_schools
from opora.demo.snapshots import build_snapshots
from opora.demo.support import build_support
from opora.demo.territory import build_territory
from opora.demo.users import build_users

Step = Callable[[DemoContext], None]

FIRST_YEAR = 2021
LAST_YEAR = 2025  # snapshot years are the years in which a school year ends

STEPS: list[Step] = [
    build_territory,
    build_schools,
    build_snapshots,
    build_results,
    build_users,
    record_audit,
    build_analysis,
    build_programs,
    build_support,
]


def municipalities_for(seed: int, schools: int) -> int:
    """How many municipalities a region of `schools` schools gets when none is asked for."""
    drawn = random.Random(f"opora-demo:{seed}:size").randint(22, 28)
    return min(drawn, max(3, schools // 10))


@transaction.atomic
def generate_demo(
    seed: int,
    *,
    schools: int = 400,
    municipalities: int | None = None,
    progress: ProgressCallback | None = None,
    steps: Sequence[Step] | None = None,
    results: bool = False,
) -> DemoContext:
    """Build the demo region for `seed` in an empty database and return what was created.

    The same seed always gives the same region (names, codes, every figure). `schools` is the
    exact number of schools; `municipalities` defaults to 22–28 (fewer for a small region).
    `progress(label, done, total)` is called after each step. `results=True` adds five years of
    assessment results with planted cases (about two million rows for 400 schools; `opora demo`
    asks for them, tests that do not need them leave them out).
    """
    if schools < 10:
        raise ValueError("Демо-регион должен содержать не меньше 10 школ.")
    ctx = DemoContext(
        seed=seed,
        schools_target=schools,
        municipalities_target=municipalities or municipalities_for(seed, schools),
        years=tuple(range(FIRST_YEAR, LAST_YEAR + 1)),
        rng=random.Random(seed),
    )
    run = [s for s in (STEPS if steps is None else steps) if results or s is not build_results]
    for done, step in enumerate(run, start=1):
        step(ctx)
        if progress is not None:
            progress(step_label(step), done, len(run))
    return ctx
