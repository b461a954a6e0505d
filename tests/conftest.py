"""Shared fixtures: the database in use, personas of every role, a small territory."""

import pytest
from django.conf import settings


def pytest_report_header(config: pytest.Config) -> str:
    db = settings.DATABASES["default"]
    return f"opora: tests run against {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']})"
