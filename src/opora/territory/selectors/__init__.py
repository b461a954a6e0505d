"""Reads of the territory and the school registry that depend on who asks (see submodules)."""

from opora.territory.selectors.card import dynamics, recent_snapshots
from opora.territory.selectors.history import entry_changes, history_entries, with_changes
from opora.territory.selectors.lists import (
    SORTS,
    AreaFigures,
    AreaOverview,
    SchoolFilters,
    area_overview,
    filter_municipalities,
    municipality_schools,
    region_overview,
    school_list,
    school_year_display,
    with_latest_figures,
)

__all__ = [
    "SORTS",
    "AreaFigures",
    "AreaOverview",
    "SchoolFilters",
    "area_overview",
    "dynamics",
    "entry_changes",
    "filter_municipalities",
    "history_entries",
    "municipality_schools",
    "recent_snapshots",
    "region_overview",
    "school_list",
    "school_year_display",
    "with_changes",
    "with_latest_figures",
]
