"""Region overview and municipality page: figures by municipality from the latest snapshots."""

from opora.territory.selectors import region_overview

from .conftest import rows_by, text_of


def test_region_overview_shows_counts_by_municipality_and_total(personas, territory, login):
    client = login(personas["region"])
    response = client.get(f"/regions/{territory.region.pk}/")
    rows = rows_by(response, "data-municipality")
    # name, kind, schools, students, teachers, rural schools share, rural students share
    assert rows["A"] == ["Город А", "город", "2", "1 250", "40", "0,0 %", "0,0 %"]
    assert rows["B"] == ["Район Б", "муниципальный район", "2", "180", "40", "100,0 %", "100,0 %"]
    assert rows["total"] == ["Итого", "", "4", "1 430", "80", "50,0 %", "12,6 %"]
    assert "C" not in rows
    assert "2023/24" in text_of(response)


def test_region_overview_costs_the_same_queries_for_more_municipalities(
    personas, territory, login, django_assert_max_num_queries
):
    client = login(personas["region"])
    with django_assert_max_num_queries(8):
        client.get(f"/regions/{territory.region.pk}/")


def test_observer_sees_aggregates_without_school_links(personas, territory, login):
    client = login(personas["observer"])
    response = client.get(f"/regions/{territory.region.pk}/")
    assert rows_by(response, "data-municipality")["total"][2:5] == ["4", "1 430", "80"]
    content = response.content.decode()
    assert "/schools/" not in content
    municipality = client.get(f"/municipalities/{territory.muni_a.pk}/")
    assert rows_by(municipality, "data-school")["a1"][1] == "Школа a1"
    assert f"/schools/{territory.a1.pk}/" not in municipality.content.decode()


def test_municipal_coordinator_sees_only_own_municipality_in_region(personas, territory, login):
    client = login(personas["municipality"])
    rows = rows_by(client.get(f"/regions/{territory.region.pk}/"), "data-municipality")
    assert set(rows) == {"A", "total"}
    assert rows["total"][2:5] == ["2", "1 250", "40"]


def test_other_region_is_not_found(personas, territory, login):
    client = login(personas["region"])
    assert client.get(f"/regions/{territory.other_region.pk}/").status_code == 404
    assert client.get(f"/municipalities/{territory.muni_c.pk}/").status_code == 404


def test_municipality_page_lists_schools_with_card_links(personas, territory, login):
    client = login(personas["region"])
    response = client.get(f"/municipalities/{territory.muni_b.pk}/")
    text = text_of(response)
    assert "Район Б" in text and "муниципальный район" in text
    assert rows_by(response, "data-school") == {
        "b1": ["b1", "Школа b1", "СОШ (средняя)", "сельская", "60", "20"],
        "b2": ["b2", "Школа b2", "СОШ (средняя)", "сельская", "120", "20"],
    }
    assert f"/schools/{territory.b1.pk}/" in response.content.decode()


def test_school_team_sees_only_its_school_in_its_municipality(personas, territory, login):
    client = login(personas["school"])
    response = client.get(f"/municipalities/{territory.muni_a.pk}/")
    assert set(rows_by(response, "data-school")) == {"a1"}
    assert client.get(f"/municipalities/{territory.muni_b.pk}/").status_code == 404


def test_region_overview_selector_uses_latest_snapshot_per_school(personas, territory):
    overview = region_overview(personas["resource"], territory.region)
    assert overview.latest_year == 2024
    assert (overview.total.schools, overview.total.students, overview.total.teachers) == (
        4,
        1430,
        80,
    )
