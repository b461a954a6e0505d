"""School list: scope, search, filters, sorting, pagination, htmx partial and query counts."""

import pytest

from opora.territory.models import Municipality, School, SchoolSnapshot

from .conftest import rows_by, text_of


def _add_schools(municipality, count: int, *, students: int = 300) -> None:
    for index in range(count):
        school = School.objects.create(
            code=f"x{index:03d}",
            full_name=f"Школа икс {index}",
            short_name=f"Икс {index:03d}",
            school_type="oosh",
            municipality=municipality,
        )
        SchoolSnapshot.objects.create(
            school=school, year=2024, students_g5=students + index, teachers_total=15
        )


def _codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return list(rows_by(response, "data-school"))


def test_regional_user_sees_the_schools_of_the_region_with_latest_figures(
    personas, territory, login
):
    response = login(personas["region"]).get("/schools/")
    rows = rows_by(response, "data-school")
    assert list(rows) == ["a1", "a2", "b1", "b2"]
    assert rows["a1"] == ["a1", "Школа a1", "СОШ (средняя)", "Город А", "городская", "800", "20"]
    assert rows["b1"][4:] == ["сельская", "60", "20"]
    assert "Найдено школ: 4" in text_of(response)


def test_school_roles_see_only_their_school_and_observer_has_no_list(personas, territory, login):
    assert _codes(login(personas["tutor"]).get("/schools/")) == ["a1"]
    assert _codes(login(personas["curator"]).get("/schools/")) == ["b1", "b2"]
    assert login(personas["observer"]).get("/schools/").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=a2", ["a2"]),
        ("q=школа+b", ["b1", "b2"]),
        ("q=7701", ["b2"]),
        ("municipality={muni_b}", ["b1", "b2"]),
        ("locality=urban", ["a1", "a2"]),
        ("locality=rural", ["b1", "b2"]),
        ("size=small", ["b1"]),
        ("size=medium", ["a2", "b2"]),
        ("size=large", ["a1"]),
        ("size=xlarge", []),
        ("school_type=sosh&locality=rural&size=medium", ["b2"]),
        ("school_type=lyceum", []),
        ("sort=-students", ["a1", "a2", "b2", "b1"]),
        ("sort=students", ["b1", "b2", "a2", "a1"]),
        ("sort=-name", ["b2", "b1", "a2", "a1"]),
        ("sort=-municipality", ["b1", "b2", "a1", "a2"]),
        ("sort=bogus&size=bogus", ["a1", "a2", "b1", "b2"]),
    ],
)
def test_search_filters_and_sorting(personas, territory, login, query, expected):
    territory.b2.inn = "7701234567"
    territory.b2.save()
    url = "/schools/?" + query.format(muni_b=territory.muni_b.pk)
    assert _codes(login(personas["region"]).get(url)) == expected


def test_filter_by_out_of_scope_municipality_is_ignored(personas, territory, login):
    response = login(personas["curator"]).get(f"/schools/?municipality={territory.muni_a.pk}")
    assert _codes(response) == ["b1", "b2"]


def test_pagination_splits_fifty_per_page(personas, territory, login):
    _add_schools(territory.muni_a, 60)
    client = login(personas["region"])
    first = client.get(f"/schools/?municipality={territory.muni_a.pk}")
    assert len(_codes(first)) == 50
    assert "Страница 1 из 2" in text_of(first)
    second = client.get(f"/schools/?municipality={territory.muni_a.pk}&page=2")
    assert len(_codes(second)) == 12
    assert "Найдено школ: 62" in text_of(second)


def test_htmx_request_gets_only_the_table(personas, territory, login):
    response = login(personas["region"]).get("/schools/?locality=rural", HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="school-table"')
    assert "<html" not in content
    assert _codes(response) == ["b1", "b2"]


def test_sort_links_toggle_direction(personas, territory, login):
    response = login(personas["region"]).get("/schools/?sort=students&locality=urban")
    content = response.content.decode()
    assert "?sort=-students&amp;locality=urban" in content
    assert "Обучающихся&nbsp;▲" in content


def test_list_costs_the_same_number_of_queries_for_4_and_20_schools(
    personas, territory, login, django_assert_num_queries
):
    client = login(personas["region"])
    client.get("/schools/")  # session and content types warmed up
    with django_assert_num_queries(6) as small:
        assert len(_codes(client.get("/schools/?sort=-students"))) == 4
    _add_schools(territory.muni_b, 16)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(_codes(client.get("/schools/?sort=-students"))) == 20


def test_ids_above_a_thousand_are_not_localized_in_links_and_options(personas, territory, login):
    municipality = Municipality.objects.create(
        pk=12345, region=territory.region, code="K", name="Город К", kind="city"
    )
    School.objects.create(
        pk=23456,
        code="k1",
        full_name="Школа К",
        short_name="Школа К",
        school_type="sosh",
        municipality=municipality,
    )
    content = login(personas["region"]).get("/schools/?municipality=12345").content.decode()
    assert '<option value="12345" selected>Город К</option>' in content
    assert 'href="/schools/23456/"' in content
