"""Writes and reads of a program's budget (смета): lines planned versus spent, totals per
group of activities and year."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.programs.models import BudgetLine, Program
from opora.programs.services import save_audited


@transaction.atomic
def budget_line_save(*, actor: Any, line: BudgetLine, source: str) -> BudgetLine:
    """Add or change a budget line; its track must belong to the same program."""
    if line.track is not None and line.track.program_id != line.program_id:
        raise ValidationError({"track": "Направление из другой программы."})
    save_audited(actor=actor, instance=line, source=source)
    return line


@transaction.atomic
def budget_line_delete(*, actor: Any, line: BudgetLine, source: str) -> None:
    audit_record(
        actor=actor,
        instance=line,
        action=AuditEntry.Action.DELETE,
        before=snapshot_fields(line),
        after=None,
        source=source,
    )
    line.delete()


@dataclass
class BudgetGroup:
    """The lines of one group of activities with their totals."""

    name: str
    lines: list[BudgetLine]
    planned: Decimal
    spent: Decimal


def budget_groups(program: Program) -> tuple[list[BudgetGroup], Decimal, Decimal]:
    """Lines grouped by track (program-wide lines first), with totals; and the grand totals."""
    groups: dict[str, list[BudgetLine]] = defaultdict(list)
    order: dict[str, tuple[int, int]] = {}
    for line in BudgetLine.objects.filter(program=program).select_related("track"):
        name = line.track.name if line.track else "Программа в целом"
        groups[name].append(line)
        order[name] = (line.track.position, line.track_id) if line.track else (0, 0)
    result = [
        BudgetGroup(
            name,
            lines,
            sum((x.planned for x in lines), Decimal(0)),
            sum((x.spent or Decimal(0) for x in lines), Decimal(0)),
        )
        for name, lines in sorted(groups.items(), key=lambda g: order[g[0]])
    ]
    return (
        result,
        sum((g.planned for g in result), Decimal(0)),
        sum((g.spent for g in result), Decimal(0)),
    )
