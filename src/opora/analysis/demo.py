"""The demo generator's last step: the `default` analysis of the latest year, approved, so that
`opora demo` opens with an official registry. Appended to `opora.demo.generator.STEPS`; does
nothing when the region has no results (`generate_demo(..., results=False)`)."""

import time
from typing import Any

from opora.analysis.approval import methodology_approve
from opora.analysis.services import methodology_presets_install, methodology_resolve
from opora.core.models import AuditEntry

DEMO = AuditEntry.Source.DEMO


def build_analysis(ctx: Any) -> None:
    """Install the presets, run `default` for the latest year and make the run official."""
    if not ctx.extra.get("results_batches"):
        return
    started = time.perf_counter()
    methodology_presets_install(region=ctx.region, actor=None, source=DEMO)
    methodology = methodology_resolve(region=ctx.region, name="default", year=None)
    run = methodology_approve(methodology=methodology, year=max(ctx.years), actor=None, source=DEMO)
    ctx.extra["analysis_run"] = run
    ctx.extra["analysis_timing"] = {"total_s": round(time.perf_counter() - started, 2)}


build_analysis.label = "Анализ по методике default"  # type: ignore[attr-defined]
