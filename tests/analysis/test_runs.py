"""A run stores the exact methodology version, the batches it read, its lines and an audit entry."""

import pytest

from opora.analysis.choices import ResultKind
from opora.analysis.models import AnalysisRun, RunSchool, RunSchoolResult
from opora.analysis.services import methodology_resolve, run_analysis_for
from opora.assessment.models import ImportBatch
from opora.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_run_records_version_parameters_batches_and_lines(territory, runs) -> None:
    run = runs[0]
    assert (run.methodology_name, run.methodology_version, run.year) == ("default", "1.1.0", 2024)
    assert run.parameters == run.methodology.document
    assert list(run.batches.all()) == list(ImportBatch.objects.all())
    assert run.is_official and not runs[1].is_official
    assert run.summary["schools"] == 4 and run.summary["shnor"] == 2
    lines = {line.school.code: line for line in RunSchool.objects.filter(run=run)}
    assert set(lines) == {"a1", "a2", "b1", "b2"}
    assert [c for c in lines if lines[c].is_shnor] == ["a2", "b1"]
    b1 = lines["b1"]
    assert b1.in_registry and b1.clusters == "|nor|" and "|r1|" in b1.reason_codes
    assert (
        "ВПР, математика, 6 класс, 2024: доля «2» 44,0\xa0% (11 из 25) при 23,0\xa0% по региону; порог 30,0\xa0%"
        in b1.reasons
    )
    kinds = set(
        RunSchoolResult.objects.filter(run=run, school=territory.b1).values_list("kind", flat=True)
    )
    assert {ResultKind.SHNOR, ResultKind.RISK, ResultKind.OBJECTIVITY, ResultKind.CONTEXT} <= kinds
    shnor = RunSchoolResult.objects.get(run=run, school=territory.b1, kind=ResultKind.SHNOR)
    table = shnor.table("table")
    assert {(r["procedure"], r["subject"], r["year"], r["count"], r["n"]) for r in table} >= {
        ("vpr", "math", 2024, 11, 25),
        ("vpr", "rus", 2023, 11, 25),
    }
    entry = AuditEntry.objects.filter(
        object_id=str(run.pk), action="create", content_type__model="analysisrun"
    ).get()
    assert "анализ по методике «default 1.1.0» за 2024 год" in entry.comment


def test_a_run_keeps_its_parameters_when_the_methodology_changes(territory, runs) -> None:
    from opora.analysis.services import methodology_copy, methodology_update

    base = methodology_resolve(region=territory.region, name="default", year=None)
    draft = methodology_copy(source_methodology=base, actor=None, source="cli")
    document = dict(draft.document)
    document["shnor"] = {**document["shnor"], "r1": {**document["shnor"]["r1"], "t_fail": 0.4}}
    methodology_update(methodology=draft, actor=None, document=document, source="cli")
    run = run_analysis_for(methodology=draft, year=2024, actor=None, source="cli")
    assert run.parameters["shnor"]["r1"]["t_fail"] == 0.4
    assert run.methodology_version == "1.2.0"
    # 44 % of «2» at b1 stays above 40 %, 36 % at a2 does not: R1 keeps b1 only.
    shnor = set(
        RunSchool.objects.filter(run=run, is_shnor=True).values_list("school__code", flat=True)
    )
    assert shnor == {"b1"}
    assert AnalysisRun.objects.get(pk=runs[0].pk).parameters["shnor"]["r1"]["t_fail"] == 0.3
