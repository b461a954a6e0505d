"""Reporting periods: opening them, a program's report, and who has not reported and how late.

Lateness is counted in calendar days after the due date: for a report sent late, the days
between the due date and the report; for a missing report, the days between the due date and
today. A report sent by the due date is on time.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from opora.accounts.policy import objects_for
from opora.core import clock
from opora.programs.choices import CLOSED_STATUSES, ActivityStatus
from opora.programs.models import Activity, Program, ProgramReport, ReportingPeriod
from opora.programs.permissions import PROGRAM_VIEW
from opora.programs.services import save_audited
from opora.territory.models import Region


@transaction.atomic
def period_create(
    *,
    actor: Any,
    region: Region,
    name: str,
    level: str,
    opens_on: dt.date,
    due_on: dt.date,
    source: str,
) -> ReportingPeriod:
    """Open a reporting period for the programs of `level` in `region`."""
    period = ReportingPeriod(
        region=region, name=name.strip(), level=level, opens_on=opens_on, due_on=due_on
    )
    save_audited(actor=actor, instance=period, source=source)
    return period


def execution_summary(program: Program, today: dt.date) -> dict[str, int]:
    """Activities of the program: total, done, cancelled, overdue on `today`."""
    counts = Activity.objects.filter(track__program=program).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActivityStatus.DONE)),
        cancelled=Count("pk", filter=Q(status=ActivityStatus.CANCELLED)),
        overdue=Count(
            "pk",
            filter=Q(deadline_end__lt=today) & ~Q(status__in=list(CLOSED_STATUSES)),
        ),
    )
    return {key: int(value or 0) for key, value in counts.items()}


@transaction.atomic
def program_report_submit(
    *,
    actor: Any,
    program: Program,
    period: ReportingPeriod,
    comment: str = "",
    today: dt.date | None = None,
    source: str,
) -> ProgramReport:
    """Report the program's execution for `period` (once), keeping the figures of the day."""
    today = today or clock.today()
    if program.level != period.level or program.region_id != period.region_id:
        raise ValidationError(f"Программа «{program.name}» не отчитывается за «{period.name}».")
    if today < period.opens_on:
        raise ValidationError(
            f"Приём отчётов за «{period.name}» откроется {period.opens_on:%d.%m.%Y}."
        )
    if ProgramReport.objects.filter(program=program, period=period).exists():
        raise ValidationError("Программа уже отчиталась за этот период.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    report = ProgramReport(
        period=period,
        program=program,
        submitted_on=today,
        submitted_by=user,
        comment=comment.strip(),
        summary=execution_summary(program, today),
    )
    save_audited(actor=actor, instance=report, source=source)
    return report


@dataclass
class ReportRow:
    """One program due to report: its report (if any) and the days of delay."""

    program: Program
    report: ProgramReport | None
    days_late: int

    @property
    def reported(self) -> bool:
        return self.report is not None


@dataclass
class MunicipalityReports:
    """The programs of one municipality (or the region itself) due to report in a period."""

    name: str
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(not r.reported for r in self.rows)

    @property
    def late(self) -> int:
        return sum(r.days_late > 0 for r in self.rows)


def days_late(period: ReportingPeriod, report: ProgramReport | None, today: dt.date) -> int:
    """Calendar days past the due date (0 when on time or not yet due)."""
    end = report.submitted_on if report is not None else today
    return max(0, (end - period.due_on).days)


def period_status(user: Any, period: ReportingPeriod, today: dt.date) -> list[MunicipalityReports]:
    """Per municipality, the programs in the user's scope due to report and their state; the
    ones that have not reported first, the latest first."""
    programs = (
        objects_for(user, PROGRAM_VIEW, Program)
        .filter(level=period.level, region_id=period.region_id)
        .select_related("municipality", "school", "region")
    )
    reports = {
        r.program_id: r
        for r in ProgramReport.objects.filter(period=period, program__in=programs).select_related(
            "submitted_by"
        )
    }
    groups: dict[str, MunicipalityReports] = {}
    for program in programs:
        name = program.municipality.name if program.municipality else program.region.name
        report = reports.get(program.pk)
        row = ReportRow(program, report, days_late(period, report, today))
        groups.setdefault(name, MunicipalityReports(name)).rows.append(row)
    for group in groups.values():
        group.rows.sort(key=lambda r: (r.reported, -r.days_late, r.program.owner_name))
    return sorted(groups.values(), key=lambda g: (-g.missing, -g.late, g.name))
