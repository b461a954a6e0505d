"""Pages of the territory and the school registry: thin views over selectors and services."""

from opora.territory.views.history import history
from opora.territory.views.home import home
from opora.territory.views.schools import school_card, school_edit, school_list, snapshot_edit
from opora.territory.views.territory import municipality_detail, region_detail

__all__ = [
    "history",
    "home",
    "municipality_detail",
    "region_detail",
    "school_card",
    "school_edit",
    "school_list",
    "snapshot_edit",
]
