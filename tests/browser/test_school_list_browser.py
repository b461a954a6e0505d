"""In a real browser: log in, filter the school list, open a card, check its figures."""

import re

import pytest

from opora.territory.models import SchoolSnapshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_filter_list_open_card_and_check_figures(page, live_server, personas, territory):
    base = live_server.url
    _login(page, base, personas["region"].username)
    page.click("nav >> text=Школы")
    page.wait_for_url(re.compile(r"/schools/"))
    rows = page.locator("tr[data-school]")
    assert rows.count() == 4

    page.select_option("#id_municipality", label="Район Б")
    # htmx replaces the table and pushes the filter into the address bar
    page.wait_for_url(re.compile(rf"municipality={territory.muni_b.pk}"))
    page.wait_for_function("document.querySelectorAll('tr[data-school]').length === 2")
    assert page.locator("tr[data-school]").evaluate_all(
        "rows => rows.map(r => r.dataset.school)"
    ) == ["b1", "b2"]

    page.click("th >> text=Обучающихся")
    page.wait_for_url(re.compile(r"sort=students"))
    page.click("th >> text=Обучающихся")
    page.wait_for_url(re.compile(r"sort=-students"))
    page.wait_for_function("document.querySelector('tr[data-school]').dataset.school === 'b2'")
    assert page.locator("#id_sort").input_value() == "-students"

    page.click("tr[data-school=b2] >> text=Школа b2")
    page.wait_for_url(f"{base}/schools/{territory.b2.pk}/")
    latest = SchoolSnapshot.objects.filter(school=territory.b2).order_by("-year").first()
    assert latest is not None

    def newest(group: str, label: str) -> str:
        row = page.locator(f'table[data-group="{group}"] tbody tr', has_text=label).first
        return row.locator("td .value").last.inner_text().replace("\xa0", "")

    assert newest("Контингент", "обучающихся всего") == str(latest.students_total)
    assert newest("Кадры", "учителей всего") == str(latest.teachers_total)
    assert page.locator("h1").inner_text() == territory.b2.short_name

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    overflow = page.evaluate("[document.body.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"page scrolls sideways at 375px: {overflow}"


def test_pages_fit_a_phone_screen(page, live_server, personas, territory):
    page.set_viewport_size({"width": 375, "height": 800})
    _login(page, live_server.url, personas["region"].username)
    for path in [
        "/",
        f"/regions/{territory.region.pk}/",
        f"/municipalities/{territory.muni_a.pk}/",
        "/schools/",
        "/history/",
        f"/schools/{territory.a1.pk}/edit/",
    ]:
        page.goto(live_server.url + path)
        widths = page.evaluate("[document.body.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways at 375px: {widths}"
