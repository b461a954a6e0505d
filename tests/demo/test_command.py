"""`opora demo --no-serve` on an empty database."""

from io import StringIO

import pytest
from django.core.management import call_command

from opora.accounts.models import User
from opora.territory.models import Region, School


def test_demo_command_builds_the_region_and_prints_logins(db: None) -> None:
    out = StringIO()
    call_command("demo", "--no-serve", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert Region.objects.count() == 1
    assert 380 <= School.objects.count() <= 420
    assert "demo-municipality" in text and "муниципальный координатор" in text
    assert "База данных:" in text
    assert User.objects.get(username="demo-school").check_password("demo")


def test_demo_command_keeps_an_existing_region(db: None) -> None:
    call_command("demo", "--no-serve", "--seed", "3", "--schools", "40", stdout=StringIO())
    codes = sorted(School.objects.values_list("code", flat=True))
    out = StringIO()
    call_command("demo", "--no-serve", "--seed", "4", stdout=out)
    assert "генерация пропущена" in out.getvalue()
    assert sorted(School.objects.values_list("code", flat=True)) == codes


@pytest.mark.django_db(transaction=True)  # flush cannot run inside a test transaction
def test_demo_command_reset_rebuilds_the_region() -> None:
    call_command("demo", "--no-serve", "--seed", "3", "--schools", "30", stdout=StringIO())
    call_command(
        "demo", "--no-serve", "--reset", "--seed", "4", "--schools", "40", stdout=StringIO()
    )
    assert School.objects.count() == 40
    assert Region.objects.count() == 1
