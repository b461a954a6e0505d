"""Who may change, review and report on a program, on top of the territorial scope.

`objects_for(user, PROGRAM_EDIT, ...)` answers *where* a user may edit; a program is changed
only by its own level: a school program by the school's team, a municipal program by the
municipality, the regional program by the region (the region admin and the resource centre).
A program is reviewed by the level above: school programs by the municipality, municipal
programs by the region. The person responsible for an activity (`responsible_user`) may put its
completion mark even without the right to edit the program.
"""

from typing import Any

from opora.accounts.policy import Scope, scope_of, user_can
from opora.accounts.roles import Capability
from opora.programs.choices import ProgramLevel
from opora.programs.models import Activity, Program

PROGRAM_VIEW = Capability.PROGRAM_VIEW
PROGRAM_EDIT = Capability.PROGRAM_EDIT
PROGRAM_REVIEW = Capability.PROGRAM_REVIEW


def _owns(scope: Scope, program: Program) -> bool:
    """Whether `scope` holds the program's own territory at the program's level."""
    if scope.everything:
        return True
    if program.level == ProgramLevel.SCHOOL:
        return program.school_id in scope.school_ids
    if program.level == ProgramLevel.MUNICIPALITY:
        return program.municipality_id in scope.municipality_ids
    return program.region_id in scope.region_ids


def can_edit_program(user: Any, program: Program) -> bool:
    """Change the passport, tracks, activities and targets; submit; delete."""
    return _owns(scope_of(user, PROGRAM_EDIT), program)


def can_review_program(user: Any, program: Program) -> bool:
    """Approve or return a program (and return single activities): the level above its own."""
    scope = scope_of(user, PROGRAM_REVIEW)
    if scope.everything:
        return program.level != ProgramLevel.REGION
    if program.level == ProgramLevel.SCHOOL:
        return program.municipality_id in scope.municipality_ids
    if program.level == ProgramLevel.MUNICIPALITY:
        return program.region_id in scope.region_ids
    return False


def can_mark_activity(user: Any, activity: Activity) -> bool:
    """Change the status and completion mark of an activity (and attach evidence)."""
    if can_edit_program(user, activity.track.program):
        return True
    return (
        activity.responsible_user_id is not None
        and activity.responsible_user_id == getattr(user, "pk", None)
        and user_can(user, PROGRAM_VIEW, activity)
    )


def edit_owner_label(program: Program) -> str:
    """Who may change the program, for the message shown to others."""
    return {
        ProgramLevel.SCHOOL: "администрация школы",
        ProgramLevel.MUNICIPALITY: "муниципальный координатор",
        ProgramLevel.REGION: "региональный администратор или ресурсный центр",
    }[ProgramLevel(program.level)]
