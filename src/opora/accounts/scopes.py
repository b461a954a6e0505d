"""Scope registrations of the territory models (called from AccountsConfig.ready)."""

from opora.accounts.policy import register_scope


def register_territory_scopes() -> None:
    from opora.territory.models import Municipality, Region, School, SchoolSnapshot, Settlement

    register_scope(
        Region, region="pk", municipality="municipalities", school="municipalities__schools"
    )
    register_scope(Municipality, region="region", municipality="pk", school="schools")
    register_scope(
        Settlement, region="municipality__region", municipality="municipality", school="schools"
    )
    register_scope(School, region="municipality__region", municipality="municipality", school="pk")
    register_scope(
        SchoolSnapshot,
        region="school__municipality__region",
        municipality="school__municipality",
        school="school",
    )
