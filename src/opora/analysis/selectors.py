"""Reads of the analysis app that depend on who asks: runs, registry lines, school tabs.

Every queryset goes through `objects_for`; a page reads the registry in one query
(`RunSchool` with its school and municipality) and a school tab in one (`RunSchoolResult`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability
from opora.analysis.choices import Cluster, MethodologyStatus, Reason, RunStatus
from opora.analysis.models import AnalysisRun, Methodology, RunSchool, RunSchoolResult
from opora.territory.models import Municipality, School

VIEW = Capability.ANALYSIS_VIEW
RUN = Capability.ANALYSIS_RUN
EDIT = Capability.METHODOLOGY_EDIT
APPROVE = Capability.METHODOLOGY_APPROVE

CLUSTER_LABELS = dict(Cluster.choices)
REASON_LABELS = dict(Reason.choices)


def runs_for(user: Any) -> QuerySet[AnalysisRun]:
    """Finished runs the user may see, newest first (official runs of a year first)."""
    return (
        objects_for(user, VIEW, AnalysisRun)
        .filter(status=RunStatus.DONE)
        .select_related("region", "methodology")
        .order_by("-year", "-is_official", "-started_at", "-id")
    )


def default_run(user: Any, region_id: int | None = None) -> AnalysisRun | None:
    """The run a page shows when none is asked for: the official run of the latest year with a
    run, else the latest run."""
    runs = runs_for(user)
    if region_id is not None:
        runs = runs.filter(region_id=region_id)
    return runs.first()


def run_for(user: Any, run_id: Any) -> AnalysisRun | None:
    """A run in scope by id (None when the id is absent, malformed or out of scope)."""
    try:
        pk = int(run_id)
    except (TypeError, ValueError):
        return None
    return runs_for(user).filter(pk=pk).first()


@dataclass(frozen=True)
class RegistryFilters:
    municipality: int | None = None
    cluster: str = ""
    reason: str = ""
    everyone: bool = False


def registry_lines(user: Any, run: AnalysisRun, filters: RegistryFilters) -> QuerySet[RunSchool]:
    """Lines of `run` the user may see: the registry (or every school), filtered."""
    lines = objects_for(user, VIEW, RunSchool).filter(run=run)
    if not filters.everyone:
        lines = lines.filter(in_registry=True)
    if filters.municipality:
        lines = lines.filter(school__municipality_id=filters.municipality)
    if filters.cluster:
        lines = lines.filter(clusters__contains=f"|{filters.cluster}|")
    if filters.reason:
        lines = lines.filter(reason_codes__contains=f"|{filters.reason}|")
    return lines.select_related("school__municipality").order_by(
        "school__municipality__name", "school__short_name", "school_id"
    )


def objectivity_lines(user: Any, run: AnalysisRun, persistent: bool = False) -> QuerySet[RunSchool]:
    """Schools of `run` with signs of non-objectivity (persistent ones only when asked)."""
    lines = objects_for(user, VIEW, RunSchool).filter(run=run, has_signs=True)
    if persistent:
        lines = lines.filter(persistent_signs=True)
    return lines.select_related("school__municipality").order_by(
        "school__municipality__name", "school__short_name", "school_id"
    )


def filter_municipalities(user: Any, run: AnalysisRun) -> QuerySet[Municipality]:
    """Municipalities of the run's region the user may see (for the filter)."""
    return objects_for(user, VIEW, Municipality).filter(region_id=run.region_id).order_by("name")


def school_result(user: Any, run: AnalysisRun, school: School, kind: str) -> RunSchoolResult | None:
    """One stored output of a school in a run, in scope."""
    return (
        objects_for(user, VIEW, RunSchoolResult).filter(run=run, school=school, kind=kind).first()
    )


def school_results(
    user: Any, run: AnalysisRun, school: School, kinds: list[str]
) -> dict[str, RunSchoolResult]:
    """Several outputs of a school in a run, in one query, by kind."""
    rows = objects_for(user, VIEW, RunSchoolResult).filter(run=run, school=school, kind__in=kinds)
    return {row.kind: row for row in rows}


def school_line(user: Any, run: AnalysisRun, school: School) -> RunSchool | None:
    return objects_for(user, VIEW, RunSchool).filter(run=run, school=school).first()


def runs_of_school(user: Any, school: School) -> QuerySet[AnalysisRun]:
    """Runs of the school's region, for the run switcher of a school tab."""
    return runs_for(user).filter(region_id=school.municipality.region_id)


def visible_school_ids(user: Any, ids: list[int]) -> set[int]:
    """Which of `ids` the user may see with analysis.view (partners' details)."""
    return set(objects_for(user, VIEW, School).filter(pk__in=ids).values_list("pk", flat=True))


def schools_by_id(ids: list[int]) -> dict[int, School]:
    """Schools by id with their municipality (names of partner candidates)."""
    return {s.pk: s for s in School.objects.filter(pk__in=ids).select_related("municipality")}


def methodologies_for(user: Any) -> QuerySet[Methodology]:
    """Methodologies of the user's regions, newest version first within a name."""
    return (
        objects_for(user, VIEW, Methodology)
        .select_related("region", "parent", "approved_by")
        .order_by("region__name", "name", "-created_at", "-id")
    )


def methodology_runs(methodology: Methodology) -> QuerySet[AnalysisRun]:
    return methodology.runs.filter(status=RunStatus.DONE).order_by("-started_at", "-id")[:20]


def approved_methodologies(user: Any) -> QuerySet[Methodology]:
    return methodologies_for(user).filter(status=MethodologyStatus.APPROVED)


def suppressed(
    rows: list[dict[str, Any]], n_min: int, keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Rows with `n` below `n_min` have the figures `keys` replaced by None (shown as «—»)."""
    out = []
    for row in rows:
        n = row.get("n")
        if isinstance(n, int) and n < n_min:
            row = {**row, **dict.fromkeys(keys), "suppressed": True}
        out.append(row)
    return out


def public_n_min(run: AnalysisRun) -> int:
    """The minimum group size for shown figures (`general.suppression.public_n_min`)."""
    general = run.parameters.get("general", {})
    return int(general.get("suppression", {}).get("public_n_min", general.get("n_min", 10)))


def result_years(region_id: int) -> list[int]:
    """Years with assessment results in the region, newest first."""
    from opora.assessment.models import SchoolResultAggregate, StudentResult

    years: set[int] = set()
    for model in (StudentResult, SchoolResultAggregate):
        years |= set(
            model.objects.filter(school__municipality__region_id=region_id)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
    return sorted(years, reverse=True)
