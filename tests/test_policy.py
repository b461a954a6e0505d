"""The policy module: scoped querysets and capabilities per role."""

import pytest
from django.http import Http404

from opora.accounts.policy import object_for, objects_for, user_can
from opora.accounts.roles import Capability
from opora.territory.models import Municipality, School, SchoolSnapshot

VIEW = Capability.SCHOOL_VIEW


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("region", {"a1", "a2", "b1", "b2"}),
        ("resource", {"a1", "a2", "b1", "b2"}),
        ("monitoring", {"a1", "a2", "b1", "b2"}),
        ("municipality", {"a1", "a2"}),
        ("curator", {"b1", "b2"}),
        ("tutor", {"a1"}),
        ("school", {"a1"}),
        ("observer", set()),
        ("nobody", set()),
    ],
)
def test_each_role_sees_only_the_schools_of_its_scope(personas, persona, expected) -> None:
    assert codes(objects_for(personas[persona], VIEW, School)) == expected


def test_school_user_sees_own_municipality_but_not_the_other(personas, territory) -> None:
    visible = objects_for(personas["school"], Capability.TERRITORY_VIEW, Municipality)
    assert list(visible) == [territory.muni_a]


def test_snapshots_follow_the_school_scope(personas, territory) -> None:
    snapshots = objects_for(personas["curator"], VIEW, SchoolSnapshot)
    assert {s.school.code for s in snapshots} == {"b1", "b2"}
    assert snapshots.count() == 6


def test_out_of_scope_object_is_404(personas, territory) -> None:
    with pytest.raises(Http404):
        object_for(personas["municipality"], VIEW, School, pk=territory.b1.pk)
    assert object_for(personas["municipality"], VIEW, School, pk=territory.a2.pk) == territory.a2


def test_capabilities_by_role(personas, territory) -> None:
    assert user_can(personas["region"], Capability.REGISTRY_IMPORT)
    assert not user_can(personas["school"], Capability.REGISTRY_IMPORT)
    assert user_can(personas["school"], Capability.SCHOOL_EDIT, territory.a1)
    assert not user_can(personas["school"], Capability.SCHOOL_EDIT, territory.a2)
    assert not user_can(personas["region"], Capability.SCHOOL_EDIT, territory.c1)
