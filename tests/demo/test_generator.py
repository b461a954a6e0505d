"""The demo region of seed 1: counts, realistic correlations, valid objects and demo users.

The region is generated once for the module inside a transaction that is rolled back at the end.
"""

from collections.abc import Iterator
from itertools import pairwise
from statistics import mean

import pytest
from django.contrib.auth import authenticate
from django.db import transaction

from opora.accounts.models import Membership, User
from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability, Role
from opora.core.models import AuditEntry
from opora.demo.context import DemoContext
from opora.demo.generator import generate_demo
from opora.demo.users import DEMO_PASSWORD, DEMO_USERS
from opora.territory.models import Municipality, Region, School, SchoolSnapshot, Settlement

LAST_YEAR = 2025


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[DemoContext]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate_demo(1)
        transaction.set_rollback(True)


@pytest.fixture
def latest(demo: DemoContext, db: None) -> list[SchoolSnapshot]:
    return list(SchoolSnapshot.objects.filter(year=LAST_YEAR).select_related("school"))


def _teachers_over_55(snapshots: list[SchoolSnapshot]) -> float:
    return mean(s.teachers_over_55 / s.teachers_total for s in snapshots)


def _low_income(snapshots: list[SchoolSnapshot]) -> float:
    return mean(float(s.low_income_share) for s in snapshots)


def test_region_has_expected_size(demo: DemoContext, db: None) -> None:
    assert Region.objects.count() == 1
    assert 20 <= Municipality.objects.count() <= 30
    assert 380 <= School.objects.count() <= 420
    assert Settlement.objects.count() == len(demo.settlements)
    years = {school.pk: set() for school in School.objects.all()}
    for school_id, year in SchoolSnapshot.objects.values_list("school_id", "year"):
        years[school_id].add(year)
    assert all(found == {2021, 2022, 2023, 2024, 2025} for found in years.values())


def test_region_has_a_capital_towns_and_rural_districts(demo: DemoContext, db: None) -> None:
    kinds = list(Municipality.objects.values_list("kind", flat=True))
    assert kinds.count("city") == 1
    assert kinds.count("city_district") >= 2
    assert kinds.count("district") + kinds.count("okrug") >= 15
    capital = Settlement.objects.get(municipality__kind="city")
    assert 450_000 <= capital.population <= 550_000
    assert capital.population_band == "gt100k"
    assert Settlement.objects.filter(is_urban=False, population__lt=1000).count() >= 50


def test_rural_small_schools_have_older_staff_and_poorer_families(latest) -> None:
    rural_small = [s for s in latest if not s.school.is_urban and s.students_total < 100]
    urban = [s for s in latest if s.school.is_urban]
    assert len(rural_small) >= 40
    assert _teachers_over_55(rural_small) > _teachers_over_55(urban) + 0.08
    assert _low_income(rural_small) > _low_income(urban) + 5
    assert mean(float(s.internet_speed_mbps) for s in rural_small) < mean(
        float(s.internet_speed_mbps) for s in urban
    )


def test_gymnasiums_and_lyceums_are_urban_with_educated_parents(latest) -> None:
    elite = [s for s in latest if s.school.school_type in ("gymnasium", "lyceum")]
    others = [s for s in latest if s.school.school_type == "sosh"]
    assert len(elite) >= 5
    assert all(s.school.is_urban and s.school.settlement.is_urban for s in elite)
    assert mean(float(s.parents_higher_ed_share) for s in elite) > mean(
        float(s.parents_higher_ed_share) for s in others
    )


def test_a_few_schools_have_many_rkn_or_ovz_students(latest) -> None:
    regular = [s for s in latest if s.school.school_type != "correctional"]
    assert sum(s.rkn_share >= 20 for s in regular) >= 3
    assert sum(s.ovz_share >= 15 for s in regular) >= 3
    assert sum(s.rkn_share >= 20 for s in regular) <= len(regular) // 20


def test_correctional_and_evening_schools_are_rare(demo: DemoContext, db: None) -> None:
    for school_type in ("correctional", "evening"):
        assert 1 <= School.objects.filter(school_type=school_type).count() <= 12


def test_small_village_schools_are_nosh_oosh_or_sosh(latest) -> None:
    types = {s.school.school_type for s in latest if s.school.settlement.population < 1000}
    assert types <= {"nosh", "oosh", "sosh"}
    assert {"nosh", "oosh"} <= types


def test_contingent_drifts_smoothly(demo: DemoContext, db: None) -> None:
    totals: dict[int, list[int]] = {}
    for school_id, total in SchoolSnapshot.objects.order_by("school_id", "year").values_list(
        "school_id", "students_total"
    ):
        totals.setdefault(school_id, []).append(total)
    for series in totals.values():
        for before, after in pairwise(series):
            assert abs(after - before) <= max(8, 0.2 * before)


def test_every_object_passes_full_clean(demo: DemoContext, db: None) -> None:
    # Every object: field validators and clean(), foreign keys aside (no queries). A sample of each model: the
    # whole full_clean, which asks the database about uniqueness and constraints per object.
    for model in (Region, Municipality, Settlement, School, SchoolSnapshot, Membership):
        objects = list(model.objects.all())
        assert objects, model
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        for obj in objects:
            obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        for obj in objects[:: max(1, len(objects) // 40)]:
            obj.full_clean()
    for snapshot in SchoolSnapshot.objects.all():
        assert snapshot.students_total == snapshot.compute_total()


def test_school_names_and_codes_look_like_a_registry(demo: DemoContext, db: None) -> None:
    schools = list(School.objects.select_related("settlement"))
    assert len({s.code for s in schools}) == len(schools)
    assert len({s.inn for s in schools}) == len(schools)
    assert all(len(s.inn) == 10 and s.inn.isdigit() for s in schools)
    assert all(len(s.ogrn) == 13 and s.ogrn.isdigit() for s in schools)
    assert all(s.short_name.endswith(s.settlement.name) for s in schools)
    assert any(s.short_name.startswith("МКОУ ООШ с. ") for s in schools)
    assert any(s.short_name.startswith("МБОУ СОШ № ") for s in schools)


def test_demo_users_hold_their_roles_and_log_in(demo: DemoContext, db: None) -> None:
    for spec in DEMO_USERS:
        user = authenticate(username=spec.username, password=DEMO_PASSWORD)
        assert user is not None, spec.username
        roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
        assert roles == ({spec.role} if spec.role else set())
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    region_admin = User.objects.get(username="demo-region")
    assert region_admin.is_staff and not region_admin.is_superuser
    assert region_admin.has_perm("territory.change_school")


def test_demo_scopes_are_what_the_table_promises(demo: DemoContext, db: None) -> None:
    def visible(username: str) -> int:
        user = User.objects.get(username=username)
        return objects_for(user, Capability.SCHOOL_VIEW, School).count()

    coordinator = Membership.objects.get(user__username="demo-municipality")
    assert coordinator.municipality.kind in ("district", "okrug")
    assert visible("demo-municipality") == coordinator.municipality.schools.count() >= 5
    assert Membership.objects.filter(user__username="demo-curator").count() == 2
    assert 2 <= visible("demo-tutor") <= 3
    assert visible("demo-school") == 1
    assert visible("demo-region") == School.objects.count()
    assert visible("demo-observer") == 0
    assert Membership.objects.get(user__username="demo-observer").role == Role.OBSERVER


def test_generation_is_recorded_in_the_audit_trail(demo: DemoContext, db: None) -> None:
    summary = AuditEntry.objects.filter(source="demo", object_repr=str(demo.region)).first()
    assert summary is not None
    assert "seed=1" in summary.comment
    assert summary.changes["schools"] == [None, School.objects.count()]
    school_entries = AuditEntry.objects.filter(source="demo", content_type__model="school")
    assert school_entries.count() == School.objects.count()
