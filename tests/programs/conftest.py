"""Fixtures of the programs tests: a municipal program of «Город А» with one track."""

import pytest

from opora.core.models import AuditEntry
from opora.programs.choices import ProgramKind
from opora.programs.models import Program, Track
from opora.programs.services import program_create, track_create
from tests.conftest import Territory


@pytest.fixture
def program(territory: Territory) -> Program:
    return program_create(
        actor=None,
        kind=ProgramKind.MUNICIPAL,
        name="План мероприятий («дорожная карта») повышения качества образования",
        period_start_year=2023,
        period_end_year=2024,
        municipality=territory.muni_a,
        passport={"goal": "Повысить качество образования", "developer": "Управление образования"},
        source=AuditEntry.Source.CLI,
    )


@pytest.fixture
def track(program: Program) -> Track:
    return track_create(
        actor=None,
        program=program,
        name="Объективность оценки качества подготовки обучающихся",
        source=AuditEntry.Source.CLI,
    )
