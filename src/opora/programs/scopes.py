"""Scope registrations of the program models (called from ProgramsConfig.ready).

A program stores its region always, its municipality for municipal and school programs and its
school for school programs, so a municipal coordinator reaches the programs of its schools too.
A reporting period belongs to the region: every municipality and school of it sees it.
"""

from opora.accounts.policy import register_scope


def register_program_scopes() -> None:
    from opora.programs.models import (
        Activity,
        ActivityEvidence,
        BudgetLine,
        Program,
        ProgramReport,
        ProgramTarget,
        ReportingPeriod,
        TargetValue,
        Track,
    )

    register_scope(Program, region="region", municipality="municipality", school="school")
    for model, prefix in (
        (Track, "program__"),
        (ProgramTarget, "program__"),
        (ProgramReport, "program__"),
        (BudgetLine, "program__"),
        (TargetValue, "target__program__"),
        (Activity, "track__program__"),
        (ActivityEvidence, "activity__track__program__"),
    ):
        register_scope(
            model,
            region=f"{prefix}region",
            municipality=f"{prefix}municipality",
            school=f"{prefix}school",
        )
    register_scope(
        ReportingPeriod,
        region="region",
        municipality="region__municipalities",
        school="region__municipalities__schools",
    )
