"""Shared fixtures: the database in use, a small territory and one persona per role.

The cast: region "Тестовая область" with municipalities A (schools a1, a2) and B (schools b1, b2),
and a second region "Другая область" with municipality C (school c1) that no regional persona of
the first region may see.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings

from opora.accounts.models import Membership, User
from opora.accounts.roles import Role
from opora.territory.models import Municipality, Region, School, SchoolSnapshot


def pytest_report_header(config: pytest.Config) -> str:
    db = settings.DATABASES["default"]
    vendor = db["ENGINE"].rsplit(".", 1)[-1]
    return f"opora: tests run against {vendor} ({db.get('HOST') or db['NAME']})"


@dataclass
class Territory:
    region: Region
    other_region: Region
    muni_a: Municipality
    muni_b: Municipality
    muni_c: Municipality
    a1: School
    a2: School
    b1: School
    b2: School
    c1: School


def _school(code: str, municipality: Municipality, *, urban: bool, students: int) -> School:
    school = School.objects.create(
        code=code,
        full_name=f"Муниципальное бюджетное общеобразовательное учреждение школа {code}",
        short_name=f"Школа {code}",
        school_type="sosh",
        municipality=municipality,
        is_urban=urban,
    )
    for year in (2022, 2023, 2024):
        SchoolSnapshot.objects.create(
            school=school,
            year=year,
            students_g1=students // 11,
            students_g5=students - students // 11,
            teachers_total=20,
            teachers_over_55=5 + (year - 2022),
        )
    return school


@pytest.fixture
def territory(db: None) -> Territory:
    region = Region.objects.create(code="99", name="Тестовая область")
    other = Region.objects.create(code="98", name="Другая область")
    muni_a = Municipality.objects.create(region=region, code="A", name="Город А", kind="city")
    muni_b = Municipality.objects.create(region=region, code="B", name="Район Б", kind="district")
    muni_c = Municipality.objects.create(region=other, code="C", name="Район В", kind="district")
    return Territory(
        region=region,
        other_region=other,
        muni_a=muni_a,
        muni_b=muni_b,
        muni_c=muni_c,
        a1=_school("a1", muni_a, urban=True, students=800),
        a2=_school("a2", muni_a, urban=True, students=450),
        b1=_school("b1", muni_b, urban=False, students=60),
        b2=_school("b2", muni_b, urban=False, students=120),
        c1=_school("c1", muni_c, urban=False, students=200),
    )


def make_user(username: str, role: str | None = None, **territory: object) -> User:
    user = User.objects.create_user(username=username, password="pw")
    if role is not None:
        Membership.objects.create(user=user, role=role, **territory)
    return user


@pytest.fixture
def personas(territory: Territory) -> dict[str, User]:
    """One user per role in the first region; `school` and `tutor` hold school a1 only."""
    t = territory
    return {
        "region": make_user("p-region", Role.REGION_ADMIN, region=t.region),
        "resource": make_user("p-resource", Role.RESOURCE_CENTRE, region=t.region),
        "monitoring": make_user("p-monitoring", Role.MONITORING_CENTRE, region=t.region),
        "municipality": make_user(
            "p-municipality", Role.MUNICIPAL_COORDINATOR, municipality=t.muni_a
        ),
        "curator": make_user("p-curator", Role.CURATOR, municipality=t.muni_b),
        "tutor": make_user("p-tutor", Role.TUTOR, school=t.a1),
        "school": make_user("p-school", Role.SCHOOL_ADMIN, school=t.a1),
        "observer": make_user("p-observer", Role.OBSERVER, region=t.region),
        "nobody": make_user("p-nobody"),
    }
