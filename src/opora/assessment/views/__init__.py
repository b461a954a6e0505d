"""Pages of assessment results: results of a school, municipality and region; upload; history."""

from opora.assessment.views.history import results_import_history
from opora.assessment.views.imports import results_import, results_import_progress
from opora.assessment.views.pages import (
    municipality_results,
    region_results,
    results_home,
    school_results,
)

__all__ = [
    "municipality_results",
    "region_results",
    "results_home",
    "results_import",
    "results_import_history",
    "results_import_progress",
    "school_results",
]
