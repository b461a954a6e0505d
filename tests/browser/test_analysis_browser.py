"""In a real browser: the registry's chart and the «Контекст» tab's chart are drawn."""

import pytest

from tests.browser.test_results_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_registry_and_context_charts_are_drawn(page, live_server, personas, territory):
    from opora.analysis.models import RunSchool
    from tests.analysis.graph import analysis_graph

    run = analysis_graph(territory)[0]
    for number, line in enumerate(RunSchool.objects.filter(run=run).order_by("school_id")):
        line.figures = {**line.figures, "expected": -0.5 + 0.25 * number, "y": 0.1 * number}
        line.save(update_fields=["figures"])
    base = live_server.url
    _login(page, base, personas["region"].username)
    page.goto(f"{base}/analysis/?run={run.pk}")
    page.wait_for_selector('figure[data-chart-name="registry"] .chart-view[data-rendered] svg')
    bars = page.locator('figure[data-chart-name="registry"] svg path[aria-roledescription="bar"]')
    assert bars.count() >= 1
    page.goto(f"{base}/analysis/schools/{territory.a2.pk}/context/?run={run.pk}")
    page.wait_for_selector('figure[data-chart-name="context"] .chart-view[data-rendered] svg')
    dots = page.locator('figure[data-chart-name="context"] svg path[aria-roledescription="circle"]')
    assert dots.count() == RunSchool.objects.filter(run=run).count()
