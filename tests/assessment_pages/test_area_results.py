"""Results of a municipality and a region: own figures, ranking, suppression for the public."""

from django.urls import reverse

from tests.assessment_pages.conftest import dynamics, rows_by, tree


def _get(client, user, name, pk, query=""):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse(name, args=[pk]) + query)


def test_municipality_page_ranks_its_schools(client, personas, territory, results):
    response = _get(client, personas["curator"], "municipality-results", territory.muni_b.pk)
    ranking = rows_by(response, "data-unit", "results-ranking")
    assert list(ranking) == [str(territory.b2.pk), str(territory.b1.pk)]
    assert ranking[str(territory.b2.pk)] == [
        "1",
        "Школа b2",
        "8 (мало)",
        "4,00",
        "0,0",
        "100,0",
        "—",
    ]
    assert ranking[str(territory.b1.pk)] == [
        "2", "Школа b1", "10", "3,40", "10,0", "40,0", "▼ −0,60",
    ]  # fmt: skip
    assert dynamics(response)["mean"] == {
        "Муниципалитет": ["—", "4,00", "3,67"],
        "Регион": ["4,00", "3,29", "3,57"],
    }


def test_region_page_ranks_municipalities(client, personas, territory, results):
    response = _get(client, personas["monitoring"], "region-results", territory.region.pk)
    ranking = rows_by(response, "data-unit", "results-ranking")
    assert ranking == {
        str(territory.muni_b.pk): ["1", "Район Б", "18", "3,67", "5,6", "66,7", "▼ −0,33"],
        str(territory.muni_a.pk): ["2", "Город А", "17", "3,47", "17,6", "47,1", "▲ +0,47"],
    }
    assert dynamics(response)["participants"] == {"Регион": ["10", "14", "35"]}


def test_observer_sees_small_groups_suppressed_with_their_complement(
    client, personas, territory, results
):
    """2023: Район Б has 4 pupils (hidden); Город А's 10 would reveal them from the region's 14."""
    response = _get(
        client, personas["observer"], "region-results", territory.region.pk, "?year=2023"
    )
    ranking = rows_by(response, "data-unit", "results-ranking")
    assert ranking[str(territory.muni_b.pk)] == ["—", "Район Б", "менее 10", "—", "—", "—", "—"]
    assert ranking[str(territory.muni_a.pk)] == ["—", "Город А", "скрыто", "—", "—", "—", "—"]
    assert dynamics(response)["participants"] == {"Регион": ["—", "10", "14"]}
    response = _get(client, personas["observer"], "region-results", territory.region.pk)
    assert rows_by(response, "data-unit", "results-ranking")[str(territory.muni_a.pk)][:3] == [
        "2", "Город А", "17",
    ]  # fmt: skip


def test_observer_sees_no_schools_on_a_municipality_page(client, personas, territory, results):
    response = _get(client, personas["observer"], "municipality-results", territory.muni_a.pk)
    assert rows_by(response, "data-unit", "results-ranking") == {}
    assert dynamics(response)["participants"]["Муниципалитет"] == ["10", "10", "17"]


def test_municipal_coordinator_ranks_own_municipality_only(client, personas, territory, results):
    response = _get(client, personas["municipality"], "region-results", territory.region.pk)
    ranking = rows_by(response, "data-unit", "results-ranking")
    assert ranking == {
        str(territory.muni_a.pk): ["2", "Город А", "17", "3,47", "17,6", "47,1", "▲ +0,47"]
    }
    text = tree(response).xpath("string(//*[@data-testid='results-detail'])")
    assert "Район Б" not in text


def test_results_home_links_by_scope(client, personas, territory, results):
    client.force_login(personas["school"])
    links = tree(client.get(reverse("results-home"))).xpath("//main//a/@href")
    assert reverse("school-results", args=[territory.a1.pk]) in links
    assert reverse("results-import") not in links
    client.force_login(personas["monitoring"])
    links = tree(client.get(reverse("results-home"))).xpath("//main//a/@href")
    assert reverse("results-import") in links
    assert reverse("region-results", args=[territory.region.pk]) in links


def test_nav_links_to_results(client, personas, territory):
    client.force_login(personas["observer"])
    links = tree(client.get(reverse("home"))).xpath("//header//a/@href")
    assert reverse("results-home") in links


def test_region_page_needs_a_constant_number_of_queries(
    client, personas, territory, results, django_assert_max_num_queries
):
    client.force_login(personas["region"])
    url = reverse("region-results", args=[territory.region.pk])
    client.get(url)
    with django_assert_max_num_queries(16):
        client.get(url)
