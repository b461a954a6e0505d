"""Home dashboard by role and the navigation links."""

from .conftest import rows_by, text_of


def test_regional_home_links_to_region_overview_with_totals(personas, territory, login):
    response = login(personas["region"]).get("/")
    content = response.content.decode()
    assert f'href="/regions/{territory.region.pk}/"' in content
    assert rows_by(response, "data-municipality") == {}
    assert "Обзор региона: Тестовая область" in text_of(response)
    assert "4 1 430 80 50,0 % 12,6 %" in text_of(response)


def test_municipal_home_links_to_its_municipality(personas, territory, login):
    response = login(personas["municipality"]).get("/")
    assert f'href="/municipalities/{territory.muni_a.pk}/"' in response.content.decode()
    assert "Муниципальный координатор" in text_of(response)


def test_school_home_links_to_its_card(personas, territory, login):
    response = login(personas["school"]).get("/")
    assert f'href="/schools/{territory.a1.pk}/"' in response.content.decode()


def test_observer_home_links_to_public_overview_without_school_list(personas, territory, login):
    response = login(personas["observer"]).get("/")
    content = response.content.decode()
    assert "Открытые сведения: Тестовая область" in text_of(response)
    assert 'href="/schools/"' not in content
    assert 'href="/history/"' not in content


def test_navigation_shows_only_allowed_sections(personas, territory, login, client):
    region = login(personas["region"]).get("/").content.decode()
    assert f'<a href="/regions/{territory.region.pk}/">Регион</a>' in region
    assert '<a href="/schools/">Школы</a>' in region
    assert '<a href="/history/">История изменений</a>' in region
    client.logout()
    tutor = login(personas["tutor"]).get("/").content.decode()
    assert f'<a href="/regions/{territory.region.pk}/">Регион</a>' in tutor
    assert '<a href="/history/">История изменений</a>' not in tutor
    client.logout()
    nobody = login(personas["nobody"]).get("/")
    assert "У вас пока нет ролей в системе" in text_of(nobody)
