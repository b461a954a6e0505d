"""The application's clock: OPORA_TODAY wins over the real local date; bad values fail loudly."""

import datetime as dt
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pytest_django.fixtures import Settings

from opora.config.env import env_date
from opora.core import clock
from opora.demo.management.commands.demo import use_demo_today


def test_setting_wins_over_the_real_date(settings: Settings) -> None:
    settings.OPORA_TODAY = dt.date(2026, 3, 1)
    assert clock.today() == dt.date(2026, 3, 1)
    assert clock.fixed_today() == dt.date(2026, 3, 1)


def test_setting_as_text_is_parsed(settings: Settings) -> None:
    settings.OPORA_TODAY = "2026-03-01"
    assert clock.today() == dt.date(2026, 3, 1)


def test_default_is_the_local_date(settings: Settings) -> None:
    settings.OPORA_TODAY = None
    assert clock.fixed_today() is None
    assert clock.today() == timezone.localdate()


@pytest.mark.parametrize("bad", ["01.03.2026", "2026-13-01", "20260301", "2026-3-1", "завтра"])
def test_bad_setting_fails_loudly(settings: Settings, bad: str) -> None:
    settings.OPORA_TODAY = bad
    with pytest.raises(ImproperlyConfigured, match="YYYY-MM-DD"):
        clock.today()


def test_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPORA_TODAY", "2026-03-01")
    assert env_date("OPORA_TODAY") == dt.date(2026, 3, 1)
    monkeypatch.setenv("OPORA_TODAY", "")
    assert env_date("OPORA_TODAY") is None
    monkeypatch.delenv("OPORA_TODAY")
    assert env_date("OPORA_TODAY") is None
    monkeypatch.setenv("OPORA_TODAY", "2026-02-30")
    with pytest.raises(ImproperlyConfigured, match="OPORA_TODAY='2026-02-30'"):
        env_date("OPORA_TODAY")


def test_demo_sets_its_today_unless_the_user_did(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OPORA_TODAY = None
    monkeypatch.delenv("OPORA_TODAY", raising=False)
    line = use_demo_today()
    assert os.environ["OPORA_TODAY"] == "2026-03-01"
    assert clock.today() == dt.date(2026, 3, 1)
    assert line.startswith("Дата демо-данных: 01.03.2026 (OPORA_TODAY)")

    monkeypatch.setenv("OPORA_TODAY", "2026-05-20")
    line = use_demo_today()
    assert os.environ["OPORA_TODAY"] == "2026-05-20"
    assert clock.today() == dt.date(2026, 5, 20)
    assert "20.05.2026" in line
