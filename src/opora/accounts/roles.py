"""Roles of DOMAIN §2, their territorial level and their capabilities.

A capability is a verb the application checks (`school.view`, `school.edit`, ...). A role grants a
set of capabilities; a membership grants a role over a territory (region, municipality or school).
"""

from django.db import models


class Role(models.TextChoices):
    REGION_ADMIN = "region_admin", "региональный администратор"
    RESOURCE_CENTRE = "resource_centre", "ресурсный центр (ИРО)"
    MONITORING_CENTRE = "monitoring_centre", "центр оценки качества (ЦМОКО, РЦОИ)"
    MUNICIPAL_COORDINATOR = "municipal_coordinator", "муниципальный координатор"
    CURATOR = "curator", "куратор муниципалитета"
    TUTOR = "tutor", "тьютор школы"
    SCHOOL_ADMIN = "school_admin", "администрация школы"
    OBSERVER = "observer", "наблюдатель"


class Level(models.TextChoices):
    """The territorial level a membership of a role is granted on."""

    REGION = "region", "регион"
    MUNICIPALITY = "municipality", "муниципалитет"
    SCHOOL = "school", "школа"


class Capability:
    """Names of capabilities checked by pages, API endpoints and commands."""

    TERRITORY_VIEW = "territory.view"  # region and municipality overviews (aggregates)
    SCHOOL_VIEW = "school.view"  # school list and full school card
    SCHOOL_EDIT = "school.edit"  # change registry data of a school
    REGISTRY_IMPORT = "registry.import"  # load the school registry from a file
    AUDIT_VIEW = "audit.view"  # change history
    ANALYSIS_VIEW = "analysis.view"  # registry, risk/objectivity/context tabs of analysis runs
    ANALYSIS_RUN = "analysis.run"  # start an analysis run
    METHODOLOGY_EDIT = "methodology.edit"  # copy, edit and compare methodologies
    METHODOLOGY_APPROVE = "methodology.approve"  # approve a methodology: the official registry
    PROGRAM_VIEW = "program.view"  # programs, roadmaps, targets, reporting periods
    PROGRAM_EDIT = "program.edit"  # change programs of one's own level (programs/permissions.py)
    PROGRAM_REVIEW = "program.review"  # approve or return programs of the level below
    SUPPORT_VIEW = "support.view"  # support structure (curators, tutors, pairs...) and events
    SUPPORT_EDIT = "support.edit"  # change the support structure
    EVENT_EDIT = "event.edit"  # record events (seminars, consultations, visits...)
    RESULTS_VIEW = "results.view"  # assessment results of the units in scope, in full
    RESULTS_IMPORT = "results.import"  # upload result files, import history, rollback
    RESULTS_STUDENTS = "results.students"  # student-level result rows (pseudonymous keys)


ROLE_LEVEL: dict[str, str] = {
    Role.REGION_ADMIN: Level.REGION,
    Role.RESOURCE_CENTRE: Level.REGION,
    Role.MONITORING_CENTRE: Level.REGION,
    Role.MUNICIPAL_COORDINATOR: Level.MUNICIPALITY,
    Role.CURATOR: Level.MUNICIPALITY,
    Role.TUTOR: Level.SCHOOL,
    Role.SCHOOL_ADMIN: Level.SCHOOL,
    Role.OBSERVER: Level.REGION,
}

_C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.REGION_ADMIN: frozenset(
        {_C.TERRITORY_VIEW, _C.SCHOOL_VIEW, _C.SCHOOL_EDIT, _C.REGISTRY_IMPORT, _C.AUDIT_VIEW}
    ),
    Role.RESOURCE_CENTRE: frozenset({_C.TERRITORY_VIEW, _C.SCHOOL_VIEW, _C.AUDIT_VIEW}),
    Role.MONITORING_CENTRE: frozenset(
        {_C.TERRITORY_VIEW, _C.SCHOOL_VIEW, _C.REGISTRY_IMPORT, _C.AUDIT_VIEW}
    ),
    Role.MUNICIPAL_COORDINATOR: frozenset(
        {_C.TERRITORY_VIEW, _C.SCHOOL_VIEW, _C.SCHOOL_EDIT, _C.AUDIT_VIEW}
    ),
    Role.CURATOR: frozenset({_C.TERRITORY_VIEW, _C.SCHOOL_VIEW}),
    Role.TUTOR: frozenset({_C.TERRITORY_VIEW, _C.SCHOOL_VIEW}),
    Role.SCHOOL_ADMIN: frozenset(
        {_C.TERRITORY_VIEW, _C.SCHOOL_VIEW, _C.SCHOOL_EDIT, _C.AUDIT_VIEW}
    ),
    Role.OBSERVER: frozenset({_C.TERRITORY_VIEW}),
}

# Assessment results (docs/results-pages.md). Every role but the observer sees the results of its
# territory in full; the observer sees only the public region and municipality pages (through
# TERRITORY_VIEW), where groups under the minimum size are suppressed. Student-level rows are for
# the regional roles; loading and rolling back files for the region admin and monitoring centre.
_RESULTS_GRANTS: dict[str, set[str]] = {
    Role.REGION_ADMIN: {_C.RESULTS_VIEW, _C.RESULTS_STUDENTS, _C.RESULTS_IMPORT},
    Role.RESOURCE_CENTRE: {_C.RESULTS_VIEW, _C.RESULTS_STUDENTS},
    Role.MONITORING_CENTRE: {_C.RESULTS_VIEW, _C.RESULTS_STUDENTS, _C.RESULTS_IMPORT},
    Role.MUNICIPAL_COORDINATOR: {_C.RESULTS_VIEW},
    Role.CURATOR: {_C.RESULTS_VIEW},
    Role.TUTOR: {_C.RESULTS_VIEW},
    Role.SCHOOL_ADMIN: {_C.RESULTS_VIEW},
}
for _results_role, _results_granted in _RESULTS_GRANTS.items():
    ROLE_CAPABILITIES[_results_role] = ROLE_CAPABILITIES[_results_role] | _results_granted

# Programs and support (docs/programs.md, docs/support.md). Everyone but the observer reads the
# programs and the support structure of their territory; a program is changed by its own level
# (region, municipality, school) and reviewed by the level above; the structure is kept by the
# region, the resource centre and the municipality; curators and tutors record events.
_PROGRAM_GRANTS: dict[str, set[str]] = {
    Role.REGION_ADMIN: {
        _C.PROGRAM_VIEW,
        _C.PROGRAM_EDIT,
        _C.PROGRAM_REVIEW,
        _C.SUPPORT_VIEW,
        _C.SUPPORT_EDIT,
        _C.EVENT_EDIT,
    },
    Role.RESOURCE_CENTRE: {
        _C.PROGRAM_VIEW,
        _C.PROGRAM_EDIT,
        _C.SUPPORT_VIEW,
        _C.SUPPORT_EDIT,
        _C.EVENT_EDIT,
    },
    Role.MONITORING_CENTRE: {_C.PROGRAM_VIEW, _C.SUPPORT_VIEW},
    Role.MUNICIPAL_COORDINATOR: {
        _C.PROGRAM_VIEW,
        _C.PROGRAM_EDIT,
        _C.PROGRAM_REVIEW,
        _C.SUPPORT_VIEW,
        _C.SUPPORT_EDIT,
        _C.EVENT_EDIT,
    },
    Role.CURATOR: {_C.PROGRAM_VIEW, _C.SUPPORT_VIEW, _C.EVENT_EDIT},
    Role.TUTOR: {_C.PROGRAM_VIEW, _C.SUPPORT_VIEW, _C.EVENT_EDIT},
    Role.SCHOOL_ADMIN: {_C.PROGRAM_VIEW, _C.PROGRAM_EDIT, _C.SUPPORT_VIEW, _C.EVENT_EDIT},
}
for _role, _granted in _PROGRAM_GRANTS.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted

# Analysis (issue 4). Observers get none of it: the registry, risk profiles and objectivity signs
# name schools and are diagnostic, not public aggregates (DOMAIN §2, METHODOLOGY §0 p. 3).
_ANALYSIS_GRANTS: dict[str, frozenset[str]] = {
    Role.REGION_ADMIN: frozenset(
        {_C.ANALYSIS_VIEW, _C.ANALYSIS_RUN, _C.METHODOLOGY_EDIT, _C.METHODOLOGY_APPROVE}
    ),
    Role.RESOURCE_CENTRE: frozenset({_C.ANALYSIS_VIEW, _C.ANALYSIS_RUN, _C.METHODOLOGY_EDIT}),
    Role.MONITORING_CENTRE: frozenset({_C.ANALYSIS_VIEW, _C.ANALYSIS_RUN, _C.METHODOLOGY_EDIT}),
    Role.MUNICIPAL_COORDINATOR: frozenset({_C.ANALYSIS_VIEW}),
    Role.CURATOR: frozenset({_C.ANALYSIS_VIEW}),
    Role.TUTOR: frozenset({_C.ANALYSIS_VIEW}),
    Role.SCHOOL_ADMIN: frozenset({_C.ANALYSIS_VIEW}),
}
for _analysis_role, _analysis_granted in _ANALYSIS_GRANTS.items():
    ROLE_CAPABILITIES[_analysis_role] = ROLE_CAPABILITIES[_analysis_role] | _analysis_granted
