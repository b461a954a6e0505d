"""Planted truth through the database path: the demo region of `make demo` (seed 1, 400 schools,
results) is generated once for the module; its last step runs the `default` analysis, which the loader
reads back from the database. The truth of the planted cases is `ctx.extra["results_truth"]`
(the same document as `demo-truth.json`, which parallel test processes may overwrite).

Objectivity: the demo plants inflated ВПР (markers M1, M2, M4, M5 in the truth); elsewhere its
journal marks are only modestly lenient (docs/demo-data.md), below the internal-mark thresholds
of `default` (IM_OGE, IM_EGE: ≥ 30 % of students). Precision and recall of «признаки
необъективности» are measured on the `default` run the demo creates.
"""

from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from django.db import connection, transaction

from opora.analysis.models import AnalysisRun, RunSchool
from opora.demo.context import DemoContext
from opora.demo.generator import generate_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoContext]:
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = generate_demo(1, schools=400, results=True)
        connection.check_constraints()
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def truth(demo: DemoContext) -> dict[str, Any]:
    return demo.extra["results_truth"]


def _codes(run: AnalysisRun, **flags: bool) -> set[str]:
    lines = RunSchool.objects.filter(run=run, **flags)
    return set(lines.values_list("school__code", flat=True))


def test_the_demo_opens_with_an_official_default_registry(demo: DemoContext) -> None:
    run = demo.extra["analysis_run"]
    assert run.is_official and run.methodology_name == "default" and run.year == 2025
    assert run.batches.count() == 20  # 4 procedures × 5 years
    assert RunSchool.objects.filter(run=run).count() == 400


def test_every_planted_low_school_and_no_other_is_in_the_shnor_list(demo, truth) -> None:
    run = demo.extra["analysis_run"]
    planted = {entry["school"] for entry in truth["low_results"]}
    assert _codes(run, is_shnor=True) == planted
    assert planted <= _codes(run, in_registry=True)


def test_objectivity_signs_find_planted_inflation(demo, truth) -> None:
    run = demo.extra["analysis_run"]
    planted = {e["school"] for e in truth["inflated_vpr"] if run.year in e["years"]}
    flagged = _codes(run, has_signs=True)
    hits = len(planted & flagged)
    precision, recall = hits / len(flagged), hits / len(planted)
    extra = {
        line.school.code: line.figures["markers"]
        for line in RunSchool.objects.filter(run=run, has_signs=True).select_related("school")
        if line.school.code not in planted
    }
    assert precision >= 0.9 and recall >= 0.9, (precision, recall, extra)


def test_context_adjusted_ranking_follows_the_planted_resilience(demo, truth) -> None:
    run = demo.extra["analysis_run"]
    effect = {entry["school"]: entry["effect"] for entry in truth["resilient"]}
    lines = RunSchool.objects.filter(run=run, school__code__in=list(effect))
    frame = pl.DataFrame(
        [{"effect": effect[line.school.code], "ce": line.figures["ce"]} for line in lines]
    )
    assert frame.height == len(effect) and frame["ce"].null_count() == 0
    rho = frame.select(pl.corr("ce", "effect", method="spearman")).item()
    assert rho >= 0.8, rho
