"""In a real browser: open a school's «Результаты» tab, check a figure and the drawn charts."""

import re

import pytest

from tests.assessment_pages.conftest import add_results

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school_results(territory):  # type: ignore[no-untyped-def]
    """Three years of ВПР математика 5 of school a1 and one of b1 (the reference data loaded)."""
    from opora.assessment.models import ImportBatch
    from opora.assessment.services import reference_load
    from opora.core.models import AuditEntry

    reference_load(actor=None, source=AuditEntry.Source.CLI)
    batch = ImportBatch.objects.create(file_name="впр.csv", sha256="d" * 64, format="canonical")
    add_results(batch, territory.a1, "vpr", "math", 5, 2022, marks=[4] * 10)
    add_results(batch, territory.a1, "vpr", "math", 5, 2023, marks=[3] * 10)
    add_results(batch, territory.a1, "vpr", "math", 5, 2024, marks=[2, 3, 3, 4, 4, 4, 5, 5, 5, 5])
    add_results(batch, territory.b1, "vpr", "math", 5, 2024, marks=[3] * 12)
    return batch


def _login(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_school_results_tab_shows_figures_and_draws_charts(
    page, live_server, personas, territory, school_results
):
    base = live_server.url
    _login(page, base, personas["school"].username)
    page.goto(f"{base}/schools/{territory.a1.pk}/")
    page.click("nav.tabs >> text=Результаты")
    page.wait_for_url(re.compile(rf"/results/schools/{territory.a1.pk}/"))
    row = page.locator('table[data-testid="results-groups"] tr[data-group="vpr:math:5"]')
    assert row.locator("td").nth(-2).inner_text() == "4,00"  # mean of 2024: 40 / 10
    school_means = page.locator(
        'table[data-testid="results-dynamics"] tbody[data-indicator="mean"] tr[data-line="Школа"] td'
    )
    assert school_means.all_inner_texts() == ["4,00", "3,00", "4,00"]
    page.wait_for_selector('figure[data-chart-name="dynamics"] .chart-view[data-rendered] svg')
    page.wait_for_selector('figure[data-chart-name="distribution"] .chart-view[data-rendered] svg')
    marks = page.locator(
        'figure[data-chart-name="dynamics"] svg path[aria-roledescription="point"]'
    )
    assert marks.count() >= 3
    labels = page.locator('figure[data-chart-name="dynamics"] svg').text_content() or ""
    assert re.search(r"\d,\d", labels), labels  # axis labels with a decimal comma

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.wait_for_selector('figure[data-chart-name="dynamics"] .chart-view[data-rendered] svg')
    width = page.evaluate("[document.body.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page scrolls sideways at 375px: {width}"
