"""Models of the programs app, one module per sub-domain."""

from opora.programs.models.budget import BudgetLine
from opora.programs.models.reporting import ProgramReport, ReportingPeriod
from opora.programs.models.roadmap import (
    Activity,
    ActivityEvidence,
    Program,
    Track,
    evidence_path,
)
from opora.programs.models.targets import ProgramTarget, TargetStatusRule, TargetValue

__all__ = [
    "Activity",
    "ActivityEvidence",
    "BudgetLine",
    "Program",
    "ProgramReport",
    "ProgramTarget",
    "ReportingPeriod",
    "TargetStatusRule",
    "TargetValue",
    "Track",
    "evidence_path",
]
