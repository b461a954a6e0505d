"""Pages and API of the analysis: each persona sees its own schools only; actions by capability."""

import pytest
from django.test import Client
from django.urls import reverse

from opora.analysis.models import Methodology, RunSchool

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_registry_shows_the_lines_in_scope_with_reasons(personas, territory, runs) -> None:
    page = client_for(personas["region"]).get(reverse("analysis:registry"))
    text = page.content.decode()
    assert page.status_code == 200 and "официальный реестр" in text
    assert "Школа a2" in text and "Школа b1" in text and "Школа a1" not in text
    assert "ВПР, математика, 6 класс, 2024: доля «2» 44,0" in text
    municipal = (
        client_for(personas["municipality"]).get(reverse("analysis:registry")).content.decode()
    )
    assert "Школа a2" in municipal and "Школа b1" not in municipal
    filtered = client_for(personas["region"]).get(
        reverse("analysis:registry"), {"municipality": territory.muni_b.pk, "run": runs[0].pk}
    )
    assert "Школа b1" in filtered.content.decode() and "Школа a2" not in filtered.content.decode()
    everyone = client_for(personas["region"]).get(reverse("analysis:registry"), {"everyone": "on"})
    assert "Школа a1" in everyone.content.decode()


def test_observer_and_nobody_get_no_analysis(personas, runs) -> None:
    for persona in ("observer", "nobody"):
        assert client_for(personas[persona]).get(reverse("analysis:registry")).status_code == 403


def test_school_tabs_answer_for_own_school_only(personas, territory, runs) -> None:
    school = client_for(personas["school"])
    for name in ("school-risks", "school-objectivity", "school-context", "school-partners"):
        own = school.get(reverse(f"analysis:{name}", kwargs={"school_id": territory.a1.pk}))
        assert own.status_code == 200, name
        other = school.get(reverse(f"analysis:{name}", kwargs={"school_id": territory.b1.pk}))
        assert other.status_code == 404, name
    risks = school.get(reverse("analysis:school-risks", kwargs={"school_id": territory.a1.pk}))
    text = risks.content.decode()
    assert "R02" in text and "Дефицит педагогических кадров" in text
    card = school.get(reverse("school-card", kwargs={"school_id": territory.a1.pk}))
    assert (
        reverse("analysis:school-risks", kwargs={"school_id": territory.a1.pk})
        in card.content.decode()
    )


def test_export_page_gives_only_lines_in_scope(personas, runs) -> None:
    response = client_for(personas["municipality"]).get(
        reverse("analysis:run-csv", kwargs={"analysisrun_id": runs[0].pk})
    )
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "Школа a2" in text and "Школа b1" not in text


def test_methodology_actions_follow_capabilities(personas, territory, runs) -> None:
    default = Methodology.objects.get(region=territory.region, name="default")
    copy_url = reverse("analysis:methodology-copy", kwargs={"methodology_id": default.pk})
    assert client_for(personas["municipality"]).post(copy_url, {"name": ""}).status_code == 403
    response = client_for(personas["monitoring"]).post(copy_url, {"name": ""})
    draft = Methodology.objects.get(region=territory.region, version="1.2.0")
    assert response.status_code == 302 and draft.parent == default
    edit_url = reverse("analysis:methodology-edit", kwargs={"methodology_id": draft.pk})
    page = client_for(personas["monitoring"]).get(edit_url)
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["shnor.r1.t_fail"] = "1,5"
    bad = client_for(personas["monitoring"]).post(edit_url, data)
    assert "shnor.r1.t_fail: должно быть не больше 1" in bad.content.decode()
    approve_url = reverse("analysis:methodology-approve", kwargs={"methodology_id": draft.pk})
    assert client_for(personas["monitoring"]).post(approve_url, {"year": 2024}).status_code == 403
    compare = client_for(personas["region"]).get(
        reverse("analysis:compare"), {"a": default.pk, "b": draft.pk, "year": 2024}
    )
    assert compare.status_code == 200 and "Реестр (ШНОР и ССУ)" in compare.content.decode()


def test_api_lists_runs_registry_and_profiles_in_scope(personas, territory, runs) -> None:
    client = client_for(personas["municipality"])
    registry = client.get("/api/v1/analysis/registry/", {"run": runs[0].pk}).json()
    codes = {line["school_code"] for line in registry["results"]}
    assert codes == {"a1", "a2"}
    a2 = next(line for line in registry["results"] if line["school_code"] == "a2")
    assert a2["is_shnor"] and a2["clusters"] == ["nor"] and a2["reasons"][0].startswith("R1:")
    assert client.get("/api/v1/analysis/runs/").json()["count"] == 1
    profiles = client.get("/api/v1/analysis/risk-profiles/", {"run": runs[0].pk}).json()
    assert {p["school"] for p in profiles["results"]} == {territory.a1.pk, territory.a2.pk}
    factors = profiles["results"][0]["tables"]["factors"]
    assert {f["factor"] for f in factors} >= {"R01", "R02"}
    other = RunSchool.objects.get(run=runs[0], school=territory.b1)
    assert client.get(f"/api/v1/analysis/registry/{other.pk}/").status_code == 404
    signs = client.get("/api/v1/analysis/objectivity/").json()
    assert {p["school"] for p in signs["results"]} == {territory.a1.pk, territory.a2.pk}


def _chart(page, testid: str) -> dict:
    import json

    from lxml import html

    tree = html.fromstring(page.content.decode())
    scripts = tree.xpath(f"//*[@data-testid='{testid}']//script[@data-chart]")
    assert len(scripts) == 1, f"no chart {testid}"
    return json.loads(scripts[0].text)


def _values(spec: dict) -> list[dict]:
    if "data" in spec:
        return spec["data"]["values"]
    return [v for layer in spec["layer"] for v in layer.get("data", {}).get("values", [])]


def test_registry_chart_counts_the_lines_in_scope(personas, territory, runs) -> None:
    run = runs[0]
    page = client_for(personas["region"]).get(reverse("analysis:registry"), {"run": run.pk})
    values = _chart(page, "registry-chart")["data"]["values"]
    expected: dict[str, int] = {}
    for line in RunSchool.objects.filter(run=run, in_registry=True).select_related(
        "school__municipality"
    ):
        name = line.school.municipality.name
        expected[name] = expected.get(name, 0) + 1
    totals: dict[str, int] = {}
    for value in values:
        totals[value["municipality"]] = totals.get(value["municipality"], 0) + value["schools"]
    assert totals == expected and sum(totals.values()) >= 2
    municipal = client_for(personas["municipality"]).get(reverse("analysis:registry"))
    names = {v["municipality"] for v in _chart(municipal, "registry-chart")["data"]["values"]}
    assert names == {territory.muni_a.name}


def test_context_chart_highlights_the_school_among_anonymous_points(personas, territory, runs):
    run = runs[0]
    url = reverse("analysis:school-context", args=[territory.a2.pk])
    # This small graph has no context data, so the model gives no expectation: no chart.
    page = client_for(personas["region"]).get(url, {"run": run.pk})
    assert page.status_code == 200 and b'data-testid="context-chart"' not in page.content
    lines = list(RunSchool.objects.filter(run=run).order_by("school_id"))
    for number, line in enumerate(lines):  # figures as a region with a context model has them
        line.figures = {**line.figures, "expected": -0.5 + 0.25 * number, "y": 0.1 * number}
        line.save(update_fields=["figures"])
    page = client_for(personas["region"]).get(url, {"run": run.pk})
    points = [v for v in _values(_chart(page, "context-chart")) if "who" in v]
    with_figures = [
        line
        for line in RunSchool.objects.filter(run=run)
        if line.figures.get("expected") is not None and line.figures.get("y") is not None
    ]
    assert len(points) == len(with_figures)
    own = [p for p in points if p["who"] == "эта школа"]
    line = RunSchool.objects.get(run=run, school=territory.a2)
    assert own == [
        {
            "expected": line.figures["expected"],
            "actual": line.figures["y"],
            "who": "эта школа",
            "resilient": "да" if line.resilient else "нет",
        }
    ]
    assert all(set(p) == {"expected", "actual", "who", "resilient"} for p in points)
