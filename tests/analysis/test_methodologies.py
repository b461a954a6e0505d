"""Methodologies: presets, copy, edit with schema validation in Russian, approve, compare."""

import json

import pytest
from django.core.exceptions import ValidationError

from opora.analysis.approval import methodology_approve
from opora.analysis.choices import MethodologyStatus
from opora.analysis.compare import compare_methodologies
from opora.analysis.forms import MethodologyEditForm
from opora.analysis.models import AnalysisRun, Methodology
from opora.analysis.services import (
    methodology_copy,
    methodology_presets_install,
    methodology_resolve,
    methodology_update,
)
from opora.analysis.validation import russian_errors
from opora.analytics.methodology import load_preset
from opora.core.models import AuditEntry
from tests.analysis.graph import add_aggregates

pytestmark = pytest.mark.django_db
CLI = AuditEntry.Source.CLI


def test_presets_are_installed_once_per_region_and_default_is_resolved(territory) -> None:
    created = methodology_presets_install(region=territory.region, actor=None, source=CLI)
    assert [m.name for m in created] == ["default"]
    assert methodology_presets_install(region=territory.region, actor=None, source=CLI) == []
    default = methodology_resolve(region=territory.region, name=None, year=2024)
    assert default.document == load_preset().to_document() and default.preset == "default"
    with pytest.raises(ValidationError, match="нет методики «strict»"):
        methodology_resolve(region=territory.region, name="strict", year=None)


def test_copy_makes_a_new_draft_version_and_edit_validates(territory) -> None:
    methodology_presets_install(region=territory.region, actor=None, source=CLI)
    default = Methodology.objects.get(region=territory.region, name="default")
    copy = methodology_copy(source_methodology=default, actor=None, source=CLI)
    again = methodology_copy(source_methodology=default, actor=None, source=CLI)
    named = methodology_copy(source_methodology=default, actor=None, name="strict", source=CLI)
    assert [(m.name, m.version) for m in (copy, again, named)] == [
        ("default", "1.2.0"),
        ("default", "1.3.0"),
        ("strict", "1.0.0"),
    ]
    assert copy.parent == default and copy.status == MethodologyStatus.DRAFT
    assert named.document["methodology"] == {
        **default.document["methodology"],
        "name": "strict",
        "version": "1.0.0",
    }
    bad = json.loads(json.dumps(copy.document))
    bad["shnor"]["r1"]["t_fail"] = "тридцать"
    with pytest.raises(ValidationError):
        methodology_update(methodology=copy, actor=None, document=bad, source=CLI)
    with pytest.raises(ValidationError, match="изменить можно только черновик"):
        methodology_update(
            methodology=_approved(default), actor=None, document=default.document, source=CLI
        )


def _approved(methodology: Methodology) -> Methodology:
    Methodology.objects.filter(pk=methodology.pk).update(
        status=MethodologyStatus.APPROVED, approved_year=2020
    )
    return Methodology.objects.get(pk=methodology.pk)


def test_schema_errors_are_russian_with_the_parameter_path(territory) -> None:
    document = load_preset().to_document()
    document["shnor"]["r1"]["t_fail"] = "тридцать"
    document["shnor"]["r1"]["k_proc"] = 2.5
    errors = russian_errors(document)
    assert any(e.startswith("shnor.r1.t_fail: должно быть числом") for e in errors), errors
    assert any(e.startswith("shnor.r1.k_proc: должно быть целым числом") for e in errors), errors
    methodology_presets_install(region=territory.region, actor=None, source=CLI)
    draft = methodology_copy(
        source_methodology=Methodology.objects.get(name="default"), actor=None, source=CLI
    )
    form = MethodologyEditForm(
        {
            "shnor.r1.t_fail": "0,25",
            "document": "{не json",
            "description": "",
            **{k: v for k, v in _key_values(draft).items() if k != "shnor.r1.t_fail"},
        },
        methodology=draft,
    )
    assert not form.is_valid()
    assert "Документ — не JSON: строка 1" in str(form.errors)
    form = MethodologyEditForm(
        {
            **_key_values(draft),
            "shnor.r1.t_fail": "0,25",
            "document": json.dumps(draft.document),
            "description": "порог 25 %",
        },
        methodology=draft,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["parsed"]["shnor"]["r1"]["t_fail"] == 0.25
    values = {**_key_values(draft), "document": json.dumps(draft.document), "description": ""}
    assert values["objectivity.m2.expected"] == "same_total"
    form = MethodologyEditForm({**values, "objectivity.m2.expected": "region"}, methodology=draft)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["parsed"]["objectivity"]["m2"]["expected"] == "region"
    form = MethodologyEditForm(
        {**values, "objectivity.m1.external_window": "все"}, methodology=draft
    )
    assert not form.is_valid()
    assert "objectivity.m1.external_window: допустимые значения" in str(form.errors)


def _key_values(methodology: Methodology) -> dict[str, str]:
    form = MethodologyEditForm(methodology=methodology)
    return {path: str(form.initial[path]).replace(".", ",") for path in form.key_fields}


def test_approve_makes_the_run_official_and_supersedes_the_previous(territory) -> None:
    add_aggregates(territory)
    methodology_presets_install(region=territory.region, actor=None, source=CLI)
    default = Methodology.objects.get(region=territory.region, name="default")
    run = methodology_approve(methodology=default, year=2024, actor=None, source=CLI)
    default.refresh_from_db()
    assert run.is_official and run.methodology == default and run.year == 2024
    assert (default.status, default.approved_year) == (MethodologyStatus.APPROVED, 2024)
    strict = methodology_copy(source_methodology=default, actor=None, name="strict", source=CLI)
    second = methodology_approve(methodology=strict, year=2024, actor=None, source=CLI)
    default.refresh_from_db()
    assert default.status == MethodologyStatus.SUPERSEDED
    assert list(AnalysisRun.objects.filter(is_official=True)) == [second]
    assert methodology_resolve(region=territory.region, name=None, year=2024) == strict


def test_comparison_shows_who_enters_and_leaves_with_reasons(territory) -> None:
    add_aggregates(territory)
    methodology_presets_install(region=territory.region, actor=None, source=CLI)
    default = Methodology.objects.get(region=territory.region, name="default")
    strict = methodology_copy(source_methodology=default, actor=None, name="strict", source=CLI)
    document = json.loads(json.dumps(strict.document))
    document["shnor"]["r1"]["t_fail"] = 0.4
    methodology_update(methodology=strict, actor=None, document=document, source=CLI)
    comparison = compare_methodologies(default, strict, 2024)
    shnor = comparison.lists[0]
    assert (shnor.count_a, shnor.count_b, shnor.staying) == (2, 1, 1)
    (leaving,) = shnor.leaving
    assert leaving.name == "Школа a2" and not shnor.entering
    assert leaving.reasons_a[0].startswith("R1: в 2024 году 30,0\xa0% и более «2»")
    assert leaving.reasons_b == []


def test_stored_documents_without_the_registry_parameter_get_the_former_rule(territory) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "opora.analysis.migrations.0002_methodology_registry_clusters"
    )
    methodology_presets_install(region=territory.region, actor=None, source=CLI)
    stored = Methodology.objects.get(region=territory.region, name="default")
    old = stored.document
    del old["clusters"]["registry"]
    Methodology.objects.filter(pk=stored.pk).update(document=old)
    migration.add_registry(apps, None)
    stored.refresh_from_db()
    assert stored.document["clusters"]["registry"] == ["nor", "ssu"]
    assert stored.document == load_preset().to_document()
    draft = methodology_copy(source_methodology=stored, actor=None, source=CLI)
    clusters = {**draft.document["clusters"], "registry": []}
    with pytest.raises(ValidationError, match=r"clusters\.registry"):
        methodology_update(
            methodology=draft,
            document={**draft.document, "clusters": clusters},
            actor=None,
            source=CLI,
        )


def test_stored_documents_without_the_m1_m2_rules_get_the_former_rules(territory) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "opora.analysis.migrations.0003_methodology_objectivity_m1_m2_rules"
    )
    methodology_presets_install(region=territory.region, actor=None, source=CLI)
    stored = Methodology.objects.get(region=territory.region, name="default")
    old = stored.document
    del old["objectivity"]["m1"]["external_window"]
    del old["objectivity"]["m2"]["expected"]
    Methodology.objects.filter(pk=stored.pk).update(document=old)
    migration.add_rules(apps, None)
    stored.refresh_from_db()
    assert stored.document["objectivity"]["m1"]["external_window"] == "pooled"
    assert stored.document["objectivity"]["m2"]["expected"] == "region"
    preset = load_preset().to_document()
    assert preset["objectivity"]["m1"]["external_window"] == "latest"
    assert preset["objectivity"]["m2"]["expected"] == "same_total"
    migration.remove_rules(apps, None)
    stored.refresh_from_db()
    assert "external_window" not in stored.document["objectivity"]["m1"]
    assert "expected" not in stored.document["objectivity"]["m2"]
    with pytest.raises(ValidationError, match=r"objectivity\.m1: не хватает параметров"):
        methodology_copy(source_methodology=stored, actor=None, source=CLI)
