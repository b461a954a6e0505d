"""The truth document of the planted cases (`demo-truth.json`), for the analytics tests."""

from typing import Any

from opora.demo.results.frames import CAP_FAIL, LOW_MIN_FAIL
from opora.demo.results.plan import (
    DIP_ABILITY,
    FLOOR,
    INFLATION_BOOST,
    LOW_ABILITY,
    LOW_WEAK_EXTRA,
    SchoolPlan,
)

VERSION = 1


def truth_document(
    ctx: Any, plans: list[SchoolPlan], medals: list[dict[str, Any]], years: tuple[int, ...]
) -> dict[str, Any]:
    """Every planted case by school code with its parameters (see docs/demo-data.md)."""

    def case(name: str) -> list[SchoolPlan]:
        return [p for p in plans if p.case == name]

    return {
        "version": VERSION,
        "seed": ctx.seed,
        "years": list(years),
        "methodology": "default",
        "model": {
            "ability_floor": FLOOR,
            "ordinary_max_fail_share": CAP_FAIL,
            "low_ability": LOW_ABILITY,
            "low_weak_subject_extra": LOW_WEAK_EXTRA,
            "low_min_fail_share": LOW_MIN_FAIL,
            "inflation_boost": INFLATION_BOOST,
            "dip_ability": DIP_ABILITY,
        },
        "low_results": [
            {
                "school": p.code,
                "subjects": p.params["weak_subjects"],
                "procedures": ["vpr", "oge"],
                "years": p.params["years"],
                "min_fail_share": LOW_MIN_FAIL,
                "ability": round(p.ability, 3),
            }
            for p in case("low")
        ],
        "inflated_vpr": [
            {
                "school": p.code,
                "years": p.params["years"],
                "boost": p.params["boost"],
                "true_ability": p.params["true_ability"],
                "markers": ["M1", "M2", "M4", "M5"],
            }
            for p in case("inflated")
        ],
        "resilient": [
            {
                "school": p.code,
                "effect": p.params["effect"],
                "context_expectation": p.params["context"],
                "deprivation": round(p.deprivation, 3),
            }
            for p in case("resilient")
        ],
        "declining": [
            {"school": p.code, "years": p.params["years"], "drops": p.params["drops"]}
            for p in case("declining")
        ],
        "unconfirmed_medalists": medals,
        "one_year_dips": [
            {"school": p.code, "year": p.dip_year}
            for p in sorted(plans, key=lambda p: p.code)
            if p.dip_year is not None
        ],
    }
