"""Which ВПР school-years were written under independent observers («объективность обеспечена»).

Drawn from a random source of its own (`ctx.rng_for("results-observers")`), so no other number of
the demo changes: about `SHARE` of the school-years are observed, never a school-year whose ВПР
marks are planted as inflated (inflation is what observers prevent).
"""

import random

import polars as pl

from opora.demo.results.plan import SchoolPlan

SHARE = 0.3


def observed(plans: list[SchoolPlan], years: tuple[int, ...], rng: random.Random) -> pl.DataFrame:
    """One row per school and year: `school_index`, `year`, `controlled` (bool)."""
    rows = []
    for plan in plans:
        inflated = set(plan.params.get("years", ())) if plan.case == "inflated" else set()
        for year in years:
            draw = rng.random() < SHARE
            rows.append((plan.index, year, draw and year not in inflated))
    return pl.DataFrame(
        rows,
        schema={"school_index": pl.Int64, "year": pl.Int64, "controlled": pl.Boolean},
        orient="row",
    )
