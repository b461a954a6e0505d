"""Program services: creation rules, deadlines parsed on write, optimistic locking, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from opora.core.audit import audit_entries_for
from opora.core.models import AuditEntry
from opora.programs.choices import ActivityStatus, ProgramKind, ProgramLevel
from opora.programs.models import Activity, Program, Track
from opora.programs.services import (
    ActivityConflictError,
    activity_create,
    activity_mark_done,
    activity_set_status,
    activity_update,
    program_create,
    program_update,
)
from opora.programs.targets import target_create
from tests.conftest import Territory

CLI = AuditEntry.Source.CLI


def _activity(track: Track, **data: object) -> Activity:
    fields = {"number": "1", "name": "Анализ результатов ГИА", "deadline_text": "сентябрь"}
    fields.update(data)
    return activity_create(actor=None, track=track, data=fields, source=CLI)


def test_school_program_takes_its_municipality_and_region_from_the_school(
    territory: Territory,
) -> None:
    program = program_create(
        actor=None,
        kind=ProgramKind.ANTI_RISK,
        name="Антирисковая программа",
        period_start_year=2024,
        period_end_year=2025,
        school=territory.b1,
        source=CLI,
    )
    assert (program.level, program.school, program.municipality, program.region) == (
        ProgramLevel.SCHOOL,
        territory.b1,
        territory.muni_b,
        territory.region,
    )


def test_program_without_its_territory_is_refused(territory: Territory) -> None:
    with pytest.raises(ValidationError, match="укажите школу"):
        program_create(
            actor=None,
            kind=ProgramKind.TRANSITION,
            name="Программа перехода",
            period_start_year=2024,
            period_end_year=2025,
            municipality=territory.muni_a,
            source=CLI,
        )


def test_program_period_must_not_run_backwards(territory: Territory) -> None:
    with pytest.raises(ValidationError, match="Год окончания"):
        program_create(
            actor=None,
            kind=ProgramKind.REGIONAL,
            name="Региональная программа",
            period_start_year=2025,
            period_end_year=2024,
            region=territory.region,
            source=CLI,
        )


def test_database_refuses_a_kind_on_the_wrong_level(program: Program) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(kind=ProgramKind.ANTI_RISK)


def test_program_creation_and_passport_change_are_audited(program: Program) -> None:
    program_update(actor=None, program=program, data={"funding": "Местный бюджет"}, source=CLI)
    actions = [(e.action, e.source) for e in audit_entries_for([program])]
    assert actions == [("update", "cli"), ("create", "cli")]
    assert audit_entries_for([program])[0].changes == {"funding": ["", "Местный бюджет"]}


def test_activity_deadline_is_parsed_in_the_program_school_year(track: Track) -> None:
    activity = _activity(track, deadline_text="декабрь, январь")
    assert (activity.deadline_kind, activity.deadline_start, activity.deadline_end) == (
        "months",
        dt.date(2023, 12, 1),
        dt.date(2024, 1, 31),
    )
    assert activity.version == 1
    assert activity.position == 1
    assert _activity(track, number="2").position == 2


def test_changing_the_deadline_text_reparses_it(track: Track) -> None:
    activity = _activity(track)
    updated = activity_update(
        actor=None,
        activity_id=activity.pk,
        expected_version=1,
        data={"deadline_text": "ежеквартально"},
        source=AuditEntry.Source.WEB,
    )
    assert (
        updated.deadline_kind,
        updated.deadline_start,
        updated.deadline_end,
        updated.version,
    ) == (
        "recurring",
        dt.date(2023, 9, 1),
        dt.date(2024, 8, 31),
        2,
    )


def test_second_editor_with_a_stale_version_gets_the_current_values(track: Track) -> None:
    activity = _activity(track)
    activity_update(
        actor=None,
        activity_id=activity.pk,
        expected_version=1,
        data={"responsible_org": "Отдел общего образования"},
        source=AuditEntry.Source.WEB,
    )
    with pytest.raises(ActivityConflictError) as caught:
        activity_update(
            actor=None,
            activity_id=activity.pk,
            expected_version=1,
            data={"responsible_org": "МКУ ЦРО"},
            source=AuditEntry.Source.WEB,
        )
    assert "уже изменил другой пользователь" in caught.value.messages[0]
    assert caught.value.current["responsible_org"] == "Отдел общего образования"
    assert caught.value.current["version"] == 2
    activity.refresh_from_db()
    assert activity.responsible_org == "Отдел общего образования"


def test_unchanged_save_keeps_the_version_and_writes_no_audit(track: Track) -> None:
    activity = _activity(track)
    same = activity_update(
        actor=None,
        activity_id=activity.pk,
        expected_version=1,
        data={"name": activity.name},
        source=CLI,
    )
    assert same.version == 1
    assert len(audit_entries_for([activity])) == 1


def test_mark_done_sets_status_date_and_comment_and_is_audited(track: Track) -> None:
    activity = _activity(track)
    done = activity_mark_done(
        actor=None,
        activity_id=activity.pk,
        expected_version=1,
        done_on=dt.date(2023, 9, 20),
        comment="Аналитическая справка направлена в ОО",
        source=AuditEntry.Source.API,
    )
    assert (done.status, done.done_on, done.completion_comment, done.version) == (
        ActivityStatus.DONE,
        dt.date(2023, 9, 20),
        "Аналитическая справка направлена в ОО",
        2,
    )
    latest = audit_entries_for([activity])[0]
    assert latest.source == "api"
    assert latest.changes["status"] == ["planned", "done"]
    reopened = activity_set_status(
        actor=None,
        activity_id=activity.pk,
        expected_version=2,
        status=ActivityStatus.IN_PROGRESS,
        source=CLI,
    )
    assert (reopened.status, reopened.done_on) == (ActivityStatus.IN_PROGRESS, None)


def test_overdue_means_interval_passed_and_not_closed(track: Track) -> None:
    activity = _activity(track, deadline_text="сентябрь")
    assert activity.is_overdue(dt.date(2023, 10, 1))
    assert not activity.is_overdue(dt.date(2023, 9, 30))
    activity.status = ActivityStatus.CANCELLED
    assert not activity.is_overdue(dt.date(2023, 10, 1))


def test_done_activity_needs_a_date_in_the_database(track: Track) -> None:
    activity = _activity(track)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.DONE)


def test_target_with_values_per_year(program: Program) -> None:
    target = target_create(
        actor=None,
        program=program,
        name="Доля обучающихся, получивших на ЕГЭ баллы ниже минимума",
        unit="%",
        baseline_year=2023,
        baseline_value=Decimal("7.5"),
        values={2024: Decimal("5"), 2025: Decimal("4")},
        source=CLI,
    )
    assert [(v.year, v.value) for v in target.values.all()] == [
        (2024, Decimal("5.000")),
        (2025, Decimal("4.000")),
    ]


def test_target_needs_a_code_or_a_name(program: Program) -> None:
    with pytest.raises(ValidationError, match="Укажите показатель"):
        target_create(actor=None, program=program, unit="%", source=CLI)


def test_evidence_file_is_stored_and_audited(track: Track, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from opora.programs.evidence import evidence_add

    settings.MEDIA_ROOT = tmp_path
    activity = _activity(track)
    evidence = evidence_add(
        actor=None,
        activity=activity,
        file=ContentFile(b"%PDF-1.4 protocol", name="protocol.pdf"),
        title="Протокол совещания",
        source=AuditEntry.Source.WEB,
    )
    assert evidence.file.name == f"programs/evidence/{activity.pk}/protocol.pdf"
    assert (tmp_path / evidence.file.name).read_bytes() == b"%PDF-1.4 protocol"
    assert str(evidence) == "Протокол совещания"
    assert [e.action for e in audit_entries_for([evidence])] == ["create"]
