"""The review workflow: submit → approve, or return with a comment; wrong moves are refused."""

import pytest
from django.core.exceptions import ValidationError

from opora.core.audit import audit_entries_for
from opora.programs.choices import ProgramStatus
from opora.programs.models import Program
from opora.programs.workflow import program_approve, program_return, program_submit

WEB = "web"


def test_submit_then_return_with_comment_then_resubmit_and_approve(program: Program) -> None:
    program_submit(actor=None, program=program, source=WEB)
    assert program.status == ProgramStatus.SUBMITTED
    program_return(
        actor=None, program=program, comment="Уточните сроки мероприятий 1.2–1.4", source=WEB
    )
    assert (program.status, program.review_comment) == (
        ProgramStatus.RETURNED,
        "Уточните сроки мероприятий 1.2–1.4",
    )
    program_submit(actor=None, program=program, source=WEB)
    program_approve(actor=None, program=program, source=WEB)
    assert program.status == ProgramStatus.APPROVED
    entries = audit_entries_for([program])
    assert [e.changes["status"][1] for e in entries[:4]] == [
        "approved",
        "submitted",
        "returned",
        "submitted",
    ]
    assert entries[2].comment == "Уточните сроки мероприятий 1.2–1.4"


def test_a_draft_cannot_be_approved(program: Program) -> None:
    with pytest.raises(ValidationError, match="«черновик» нельзя перевести в статус «утверждена»"):
        program_approve(actor=None, program=program, source=WEB)
    program.refresh_from_db()
    assert program.status == ProgramStatus.DRAFT


def test_return_needs_a_comment(program: Program) -> None:
    program_submit(actor=None, program=program, source=WEB)
    with pytest.raises(ValidationError, match="что нужно доработать"):
        program_return(actor=None, program=program, comment="  ", source=WEB)
