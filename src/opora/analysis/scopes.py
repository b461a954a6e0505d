"""Scope registrations of the analysis models (called from AnalysisConfig.ready).

Methodologies and runs belong to a region: everyone who holds a capability anywhere in the
region reaches them (a school sees which methodology produced its lines). Per-school outputs are
scoped by their school, so a municipality sees the lines of its own schools only.
"""

from django.db.models import Model

from opora.accounts.policy import register_scope


def register_analysis_scopes() -> None:
    from opora.analysis.models import (
        AnalysisRun,
        Methodology,
        ObjectivityResult,
        RiskProfileResult,
        RunSchool,
        RunSchoolResult,
    )

    regional: list[type[Model]] = [Methodology, AnalysisRun]
    for model in regional:
        register_scope(
            model,
            region="region",
            municipality="region__municipalities",
            school="region__municipalities__schools",
        )
    per_school: list[type[Model]] = [
        RunSchool,
        RunSchoolResult,
        RiskProfileResult,
        ObjectivityResult,
    ]
    for model in per_school:
        register_scope(
            model,
            region="school__municipality__region",
            municipality="school__municipality",
            school="school",
        )
