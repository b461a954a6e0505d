"""The «Результаты» tab of a school: own figures, comparison, distribution, scores, suppression."""

from django.urls import reverse

from tests.assessment_pages.conftest import dynamics, rows_by, tree


def _page(client, user, school, query=""):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("school-results", args=[school.pk]) + query)


def test_table_of_groups_shows_three_years_of_the_school(client, personas, territory, results):
    response = _page(client, personas["region"], territory.a1)
    groups = rows_by(response, "data-group", "results-groups")
    assert list(groups) == ["vpr:math:5", "ege:rus:11"]
    assert groups["vpr:math:5"] == [
        "ВПР", "Математика", "5",
        "10", "4,00", "0,0",
        "10", "3,00", "0,0",
        "12", "3,33", "25,0",
    ]  # fmt: skip
    assert groups["ege:rus:11"] == [
        "ЕГЭ", "Русский язык", "11", "—", "—", "—", "—", "—", "—", "11", "58,5", "18,2",
    ]  # fmt: skip


def test_detail_compares_with_municipality_and_region(client, personas, territory, results):
    table = dynamics(_page(client, personas["region"], territory.a1))
    assert table["participants"] == {
        "Школа": ["10", "10", "12"],
        "Муниципалитет": ["10", "10", "17"],
        "Регион": ["10", "14", "35"],
    }
    assert table["mean"] == {
        "Школа": ["4,00", "3,00", "3,33"],
        "Муниципалитет": ["4,00", "3,00", "3,47"],
        "Регион": ["4,00", "3,29", "3,57"],
    }
    assert table["share_fail"]["Муниципалитет"] == ["0,0", "0,0", "17,6"]
    assert table["share_fail"]["Регион"] == ["0,0", "0,0", "11,4"]
    assert table["share_top"] == {
        "Школа": ["100,0", "0,0", "41,7"],
        "Муниципалитет": ["100,0", "0,0", "47,1"],
        "Регион": ["100,0", "28,6", "57,1"],
    }


def test_distribution_of_marks_of_the_newest_year(client, personas, territory, results):
    response = _page(client, personas["region"], territory.a1)
    shares = rows_by(response, "data-line", "results-distribution")
    assert shares == {
        "Школа": ["Школа", "25,0", "33,3", "25,0", "16,7"],
        "Муниципалитет": ["Муниципалитет", "17,6", "35,3", "29,4", "17,6"],
        "Регион": ["Регион", "11,4", "31,4", "45,7", "11,4"],
    }


def test_ege_group_shows_test_scores_minimum_and_high_scores(client, personas, territory, results):
    response = _page(client, personas["region"], territory.a1, "?group=ege:rus:11")
    table = dynamics(response)
    assert table["mean"]["Школа"] == ["—", "—", "58,5"]
    assert table["share_fail"]["Школа"] == ["—", "—", "18,2"]  # 20 and 23 below 24
    assert table["share_top"]["Школа"] == ["—", "—", "36,4"]  # 81, 85, 90 and 100
    bins = rows_by(response, "data-line", "results-distribution")["Школа"]
    assert bins == [
        "Школа",
        "0,0",
        "0,0",
        "27,3",
        "0,0",
        "9,1",
        "9,1",
        "9,1",
        "9,1",
        "18,2",
        "18,2",
    ]
    charts = tree(response).xpath("//script[@data-chart]")
    assert len(charts) == 2


def test_school_persona_sees_no_figure_revealing_other_schools(
    client, personas, territory, results
):
    """a1 is 12 of the 17 in город А in 2024: the rest (a2, 5 pupils) would show; so would the
    4 pupils of b1 in the region's 2023 total of 14."""
    table = dynamics(_page(client, personas["school"], territory.a1))
    assert table["participants"] == {
        "Школа": ["10", "10", "12"],
        "Муниципалитет": ["10", "10", "скрыто"],
        "Регион": ["10", "скрыто", "35"],
    }
    assert table["mean"]["Муниципалитет"] == ["4,00", "3,00", "—"]
    assert table["mean"]["Регион"] == ["4,00", "—", "3,57"]


def test_additional_period_and_other_regions_do_not_count(client, personas, territory, results):
    table = dynamics(_page(client, personas["region"], territory.a1))
    # a1's five «2» of the additional period and c1's ten «2» are not in the figures
    assert table["participants"]["Школа"][2] == "12"
    assert table["participants"]["Регион"][2] == "35"


def test_aggregates_count_only_where_a_school_has_no_student_rows(
    client, personas, territory, results
):
    groups = rows_by(
        _page(client, personas["region"], territory.b2), "data-group", "results-groups"
    )
    assert groups["oge:math:9"][-3:] == ["20", "3,60", "10,0"]
    b1 = rows_by(_page(client, personas["region"], territory.b1), "data-group", "results-groups")
    assert b1["vpr:math:5"][-3:] == ["10", "3,40", "10,0"]  # not the aggregate of 99


def test_filters_narrow_the_groups_and_year_moves_the_window(client, personas, territory, results):
    response = _page(client, personas["region"], territory.a1, "?procedure=ege")
    assert list(rows_by(response, "data-group", "results-groups")) == ["ege:rus:11"]
    response = _page(client, personas["region"], territory.a1, "?year=2023")
    years = tree(response).xpath("//table[@data-testid='results-dynamics']/thead//th/text()")
    assert years == ["Показатель", "2021", "2022", "2023"]


def test_observer_and_outsiders_cannot_open_a_school_tab(client, personas, territory, results):
    assert _page(client, personas["observer"], territory.a1).status_code == 403
    assert _page(client, personas["school"], territory.a2).status_code == 404
    assert _page(client, personas["region"], territory.c1).status_code == 404


def test_school_card_links_to_the_results_tab(client, personas, territory, results):
    client.force_login(personas["school"])
    response = client.get(reverse("school-card", args=[territory.a1.pk]))
    links = tree(response).xpath("//nav[@class='tabs']//a/@href")
    assert reverse("school-results", args=[territory.a1.pk]) in links


def test_school_without_results_says_so(client, personas, territory, reference):
    response = _page(client, personas["region"], territory.a2)
    assert tree(response).xpath("//*[@data-testid='no-results']")
