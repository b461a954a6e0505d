"""Actual values of library targets come from the data: pooled over the program's schools at its
level, with the default methodology (n_min); groups too small give no value."""

from decimal import Decimal

import pytest

from opora.assessment.models import ImportBatch, SchoolResultAggregate, StudentResult
from opora.assessment.services import reference_load
from opora.core.models import AuditEntry
from opora.programs.actuals import compute_actuals, targets_refresh_actuals
from opora.programs.choices import ProgramKind
from opora.programs.models import TargetValue
from opora.programs.services import program_create
from opora.programs.targets import target_create
from opora.territory.models import School
from tests.conftest import Territory

CLI = AuditEntry.Source.CLI


def _vpr(school: School, year: int, participants: int, fails: int, grade: int = 5) -> None:
    rest = participants - fails
    SchoolResultAggregate.objects.create(
        school=school,
        procedure_id="vpr",
        subject_id="math",
        grade=grade,
        year=year,
        participants=participants,
        count_2=fails,
        count_3=rest // 2,
        count_4=rest - rest // 2,
        count_5=0,
    )


@pytest.fixture
def data(territory: Territory) -> Territory:
    reference_load(actor=None, source=CLI)
    t = territory
    _vpr(t.a1, 2023, 20, 4)  # 20 %
    _vpr(t.a2, 2023, 30, 3)  # 10 %
    _vpr(t.a1, 2024, 20, 2)  # 10 %
    _vpr(t.a2, 2024, 6, 3)  # 6 pupils: below n_min alone
    return t


def test_actuals_are_pooled_at_the_program_level(data: Territory) -> None:
    t = data
    programs = {
        "a1": program_create(
            actor=None,
            kind=ProgramKind.ANTI_RISK,
            name="a1",
            period_start_year=2023,
            period_end_year=2024,
            school=t.a1,
            source=CLI,
        ),
        "a2": program_create(
            actor=None,
            kind=ProgramKind.ANTI_RISK,
            name="a2",
            period_start_year=2023,
            period_end_year=2024,
            school=t.a2,
            source=CLI,
        ),
        "muni": program_create(
            actor=None,
            kind=ProgramKind.MUNICIPAL,
            name="А",
            period_start_year=2023,
            period_end_year=2024,
            municipality=t.muni_a,
            source=CLI,
        ),
        "region": program_create(
            actor=None,
            kind=ProgramKind.REGIONAL,
            name="Р",
            period_start_year=2023,
            period_end_year=2024,
            region=t.region,
            source=CLI,
        ),
    }
    targets = {
        key: target_create(
            actor=None,
            program=program,
            indicator_code="vpr_fail_share",
            baseline_year=2023,
            values={2024: Decimal("12")},
            source=CLI,
        )
        for key, program in programs.items()
    }
    computed = compute_actuals(list(targets.values()))
    assert {key: computed[target.pk] for key, target in targets.items()} == {
        "a1": {2023: Decimal("20.000"), 2024: Decimal("10.000")},
        "a2": {2023: Decimal("10.000"), 2024: None},
        "muni": {2023: Decimal("14.000"), 2024: Decimal("19.231")},
        "region": {2023: Decimal("14.000"), 2024: Decimal("19.231")},
    }
    changed = targets_refresh_actuals(actor=None, programs=list(programs.values()), source=CLI)
    assert changed == 7  # three 2024 actuals (not a2's) and four baselines
    rows = TargetValue.objects.filter(target=targets["muni"]).values_list(
        "year", "value", "actual_value", "actual_source"
    )
    assert list(rows) == [(2024, Decimal("12.000"), Decimal("19.231"), "data")]
    targets["muni"].refresh_from_db()
    assert targets["muni"].baseline_value == Decimal("14.000")
    assert targets_refresh_actuals(actor=None, programs=list(programs.values()), source=CLI) == 0


def test_student_rows_count_like_aggregates(territory: Territory) -> None:
    """ВПР rows of a1 in 2023 (20 pupils, four «2» and two unmarked) counted by the database."""
    reference_load(actor=None, source=CLI)
    batch = ImportBatch.objects.create(file_name="впр.csv", sha256="1" * 64, format="canonical")
    marks = [2] * 4 + [3] * 8 + [4] * 5 + [5] * 1 + [None] * 2
    StudentResult.objects.bulk_create(
        StudentResult(
            student_key=f"{index:032d}",
            school=territory.a1,
            grade=5,
            procedure_id="vpr",
            subject_id="math",
            year=2023,
            period="main",
            mark=mark,
            batch=batch,
        )
        for index, mark in enumerate(marks)
    )
    program = program_create(
        actor=None,
        kind=ProgramKind.ANTI_RISK,
        name="a1",
        period_start_year=2023,
        period_end_year=2024,
        school=territory.a1,
        source=CLI,
    )
    codes = ("vpr_fail_share", "vpr_good_share", "vpr_mean_mark")
    targets = [
        target_create(actor=None, program=program, indicator_code=code, source=CLI)
        for code in codes
    ]
    computed = compute_actuals(targets)
    # 4 of 18 marked; 6 of 18 «4»/«5»; (8 + 24 + 20 + 5) / 18
    assert [computed[t.pk] for t in targets] == [
        {2023: Decimal("22.222")},
        {2023: Decimal("33.333")},
        {2023: Decimal("3.167")},
    ]
