"""Target indicators of a program: writes, the rule of their status and the rows a page shows.

A target either points at the indicator library (`opora.analytics.indicators.REGISTRY`: its
name, unit and direction come from there and `programs/actuals.py` computes its actual values
from the data) or is typed by hand with its own name, unit and direction.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from opora.analytics.indicators import HIGHER_BETTER, REGISTRY
from opora.core.audit import audit_record, snapshot_fields
from opora.core.models import AuditEntry
from opora.programs.choices import ActualSource, TargetDirection, TargetStatus
from opora.programs.models import Program, ProgramTarget, TargetStatusRule, TargetValue
from opora.programs.services import save_audited
from opora.programs.target_status import RuleParams, YearPoint, target_status, year_status


def library_choices() -> list[tuple[str, str]]:
    """(code, name) of the library indicators a target may point at, by name."""
    return sorted(((code, ind.name) for code, ind in REGISTRY.items()), key=lambda c: c[1])


def default_rule() -> RuleParams:
    """The parameters of the rule in force (the row marked «по умолчанию»)."""
    rule = TargetStatusRule.objects.filter(is_default=True).first()
    if rule is None:
        raise ValidationError(
            "Не задано правило статуса целевых показателей: добавьте его в администрировании."
        )
    return RuleParams(rule.on_track_share, rule.no_baseline_tolerance)


def _from_library(target: ProgramTarget) -> None:
    if not target.indicator_code:
        return
    indicator = REGISTRY.get(target.indicator_code)
    if indicator is None:
        raise ValidationError(f"В библиотеке нет показателя «{target.indicator_code}».")
    target.name = target.name or indicator.name
    target.unit = target.unit or indicator.unit
    target.direction = (
        TargetDirection.HIGHER_BETTER
        if indicator.direction == HIGHER_BETTER
        else TargetDirection.LOWER_BETTER
    )


@transaction.atomic
def target_create(
    *,
    actor: Any,
    program: Program,
    name: str = "",
    indicator_code: str = "",
    subject: str = "",
    unit: str = "",
    direction: str = TargetDirection.HIGHER_BETTER,
    baseline_year: int | None = None,
    baseline_value: Decimal | None = None,
    values: dict[int, Decimal | None] | None = None,
    source: str,
) -> ProgramTarget:
    """Add a target indicator with its target value per year (None: a year listed for its
    actual value only)."""
    position = (program.targets.aggregate(m=models.Max("position"))["m"] or 0) + 1
    target = ProgramTarget(
        program=program,
        position=position,
        name=name,
        indicator_code=indicator_code,
        subject=subject,
        unit=unit,
        direction=direction,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
    )
    _from_library(target)
    save_audited(actor=actor, instance=target, source=source)
    for year, value in sorted((values or {}).items()):
        save_audited(
            actor=actor, instance=TargetValue(target=target, year=year, value=value), source=source
        )
    return target


TARGET_FIELDS = frozenset(
    {"name", "subject", "unit", "direction", "baseline_year", "baseline_value", "position"}
)


@transaction.atomic
def target_update(
    *, actor: Any, target: ProgramTarget, data: dict[str, Any], source: str
) -> ProgramTarget:
    """Change the passport of a target (the library link is fixed at creation)."""
    unknown = set(data) - TARGET_FIELDS
    if unknown:
        raise ValidationError(f"Эти поля показателя нельзя менять: {', '.join(sorted(unknown))}.")
    for field, value in data.items():
        setattr(target, field, value)
    _from_library(target)
    save_audited(actor=actor, instance=target, source=source)
    return target


@transaction.atomic
def target_year_set(
    *,
    actor: Any,
    target: ProgramTarget,
    year: int,
    value: Decimal | None,
    actual: Decimal | None = None,
    actual_source: str = ActualSource.MANUAL,
    source: str,
) -> TargetValue | None:
    """Set the target and the actual value of one year; both empty removes the year."""
    row = TargetValue.objects.filter(target=target, year=year).first()
    if value is None and actual is None:
        if row is not None:
            audit_record(
                actor=actor,
                instance=row,
                action=AuditEntry.Action.DELETE,
                before=snapshot_fields(row),
                after=None,
                source=source,
            )
            row.delete()
        return None
    row = row or TargetValue(target=target, year=year)
    row.value = value
    row.actual_value = actual
    row.actual_source = actual_source if actual is not None else ""
    save_audited(actor=actor, instance=row, source=source)
    return row


@dataclass(frozen=True)
class TargetRow:
    """A target as the page shows it: values per year with their statuses, and its status."""

    target: ProgramTarget
    years: list[tuple[TargetValue, TargetStatus]]
    status: TargetStatus
    status_year: int | None

    @property
    def computable(self) -> bool:
        return bool(self.target.indicator_code)


def target_rows(program: Program, rule: RuleParams | None = None) -> list[TargetRow]:
    """Every target of the program with its years and statuses by the rule in force."""
    rule = rule or default_rule()
    rows = []
    for target in program.targets.prefetch_related("values").order_by("position", "id"):
        values = list(target.values.all())
        years = [
            (
                v,
                year_status(
                    direction=target.direction,
                    baseline=target.baseline_value,
                    target=v.value,
                    actual=v.actual_value,
                    rule=rule,
                ),
            )
            for v in values
        ]
        status, year = target_status(
            direction=target.direction,
            baseline=target.baseline_value,
            points=[YearPoint(v.year, v.value, v.actual_value) for v in values],
            rule=rule,
        )
        rows.append(TargetRow(target=target, years=years, status=status, status_year=year))
    return rows
