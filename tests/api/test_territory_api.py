"""The territory API: token, lists, cards, filters, pagination and scope — as the pages scope it."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opora.territory.models import School, SchoolSnapshot

SCHOOLS = "/api/v1/schools/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


# ---------------------------------------------------------------- token and authentication


def test_token_for_right_password_authenticates_later_requests(personas) -> None:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "p-curator", "password": "pw"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=personas["curator"]).key

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert codes(client.get(SCHOOLS)) == ["b1", "b2"]


def test_token_for_wrong_password_is_refused_in_russian(personas) -> None:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "p-curator", "password": "wrong"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Невозможно войти с предоставленными учетными данными."]
    }
    assert not Token.objects.exists()


def test_anonymous_gets_401_in_russian(personas) -> None:
    for url in ("/api/v1/", SCHOOLS, "/api/v1/municipalities/", "/api/v1/regions/"):
        response = APIClient().get(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": "Учетные данные не были предоставлены."}
        assert response["WWW-Authenticate"] == "Token"


def test_bad_token_is_401(personas) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get(SCHOOLS)
    assert response.status_code == 401
    assert response.json() == {"detail": "Недействительный токен."}


# ---------------------------------------------------------------- lists and cards


def test_region_admin_lists_the_schools_of_the_region_with_latest_figures(personas) -> None:
    response = api_as(personas["region"]).get(SCHOOLS)
    body = response.json()
    assert body["count"] == 4
    assert codes(response) == ["a1", "a2", "b1", "b2"]
    a1 = body["results"][0]
    assert a1["short_name"] == "Школа a1"
    assert a1["municipality_name"] == "Город А"
    assert a1["school_type_display"] == "СОШ (средняя)"
    assert a1["levels"] == "НОО, ООО, СОО"
    assert a1["is_urban"] is True
    latest = a1["latest_snapshot"]
    assert latest["year"] == 2024
    assert latest["school_year"] == "2023/24"
    assert latest["students_total"] == 800
    assert latest["students_g1"] == 72
    assert latest["teachers_total"] == 20
    assert latest["teachers_over_55"] == 7


def test_school_card_and_its_snapshots(personas, territory) -> None:
    client = api_as(personas["school"])
    card = client.get(f"{SCHOOLS}{territory.a1.pk}/")
    assert card.status_code == 200
    assert card.json()["code"] == "a1"
    assert card.json()["region"] == territory.region.pk

    snapshots = client.get(f"{SCHOOLS}{territory.a1.pk}/snapshots/")
    assert snapshots.status_code == 200
    rows = snapshots.json()
    assert [row["year"] for row in rows] == [2024, 2023, 2022]
    assert [row["teachers_over_55"] for row in rows] == [7, 6, 5]
    assert {row["students_total"] for row in rows} == {800}


def test_municipalities_and_regions_in_scope(personas, territory) -> None:
    response = api_as(personas["region"]).get("/api/v1/municipalities/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["code"], r["kind_display"], r["schools_count"]) for r in rows] == [
        ("A", "город", 2),
        ("B", "муниципальный район", 2),
    ]
    school_user = api_as(personas["school"])
    assert codes(school_user.get("/api/v1/municipalities/")) == ["A"]
    regions = school_user.get("/api/v1/regions/").json()["results"]
    assert [(r["name"], r["municipalities_count"]) for r in regions] == [("Тестовая область", 2)]
    detail = school_user.get(f"/api/v1/municipalities/{territory.muni_a.pk}/")
    assert detail.json()["region_name"] == "Тестовая область"


# ---------------------------------------------------------------- filters and pagination


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is_urban=false", ["b1", "b2"]),
        ("is_urban=true", ["a1", "a2"]),
        ("school_type=sosh", ["a1", "a2", "b1", "b2"]),
        ("school_type=lyceum", []),
        ("search=школа A2", ["a2"]),
        ("search=7701", ["b2"]),
        ("size=small", ["b1"]),
        ("size=medium", ["a2", "b2"]),
        ("ordering=-students", ["a1", "a2", "b2", "b1"]),
    ],
)
def test_school_filters(personas, territory, query, expected) -> None:
    School.objects.filter(pk=territory.b2.pk).update(inn="7701234567")
    assert codes(api_as(personas["region"]).get(f"{SCHOOLS}?{query}")) == expected


def test_filters_by_territory_ids(personas, territory) -> None:
    client = api_as(personas["region"])
    assert codes(client.get(f"{SCHOOLS}?municipality={territory.muni_b.pk}")) == ["b1", "b2"]
    assert codes(client.get(f"{SCHOOLS}?region={territory.region.pk}")) == ["a1", "a2", "b1", "b2"]
    # Filtering cannot reach outside the scope: the other region is simply empty.
    assert codes(client.get(f"{SCHOOLS}?region={territory.other_region.pk}")) == []
    assert codes(client.get(f"{SCHOOLS}?municipality={territory.muni_c.pk}")) == []


def test_invalid_filter_value_is_explained_in_russian(personas) -> None:
    response = api_as(personas["region"]).get(f"{SCHOOLS}?school_type=castle")
    assert response.status_code == 400
    assert "school_type" in response.json()
    assert "Выберите корректный вариант" in response.json()["school_type"][0]


def test_pagination(personas) -> None:
    client = api_as(personas["region"])
    first = client.get(f"{SCHOOLS}?page_size=3").json()
    assert first["count"] == 4
    assert [r["code"] for r in first["results"]] == ["a1", "a2", "b1"]
    assert first["previous"] is None
    assert first["next"].endswith("page=2&page_size=3")
    second = client.get(f"{SCHOOLS}?page_size=3&page=2").json()
    assert [r["code"] for r in second["results"]] == ["b2"]
    assert second["next"] is None
    missing = client.get(f"{SCHOOLS}?page=9")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Неправильная страница"}


# ---------------------------------------------------------------- scope


def test_municipal_user_gets_404_for_a_school_of_another_municipality(personas, territory) -> None:
    client = api_as(personas["municipality"])
    assert client.get(f"{SCHOOLS}{territory.a2.pk}/").status_code == 200
    for school in (territory.b1, territory.c1):
        for url in (f"{SCHOOLS}{school.pk}/", f"{SCHOOLS}{school.pk}/snapshots/"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json() == {"detail": "Объект не найден или недоступен."}
    assert client.get(f"/api/v1/municipalities/{territory.muni_b.pk}/").status_code == 404


def test_regional_user_cannot_reach_the_other_region(personas, territory) -> None:
    client = api_as(personas["region"])
    assert client.get(f"{SCHOOLS}{territory.c1.pk}/").status_code == 404
    assert client.get(f"/api/v1/regions/{territory.other_region.pk}/").status_code == 404
    assert codes(client.get("/api/v1/regions/")) == ["99"]


def test_observer_sees_territory_but_no_schools(personas, territory) -> None:
    client = api_as(personas["observer"])
    response = client.get(SCHOOLS)
    assert response.status_code == 403
    assert response.json() == {"detail": "Недостаточно прав для этого раздела."}
    assert client.get(f"{SCHOOLS}{territory.a1.pk}/").status_code == 403
    assert codes(client.get("/api/v1/municipalities/")) == ["A", "B"]


def test_user_without_role_gets_403_everywhere(personas) -> None:
    client = api_as(personas["nobody"])
    for url in (SCHOOLS, "/api/v1/municipalities/", "/api/v1/regions/"):
        assert client.get(url).status_code == 403, url


def test_api_is_read_only(personas, territory) -> None:
    client = api_as(personas["region"])
    assert client.post(SCHOOLS, {"code": "x"}).status_code == 405
    assert client.patch(f"{SCHOOLS}{territory.a1.pk}/", {"short_name": "x"}).status_code == 405
    assert client.delete(f"{SCHOOLS}{territory.a1.pk}/").status_code == 405
    assert School.objects.get(pk=territory.a1.pk).short_name == "Школа a1"


# ---------------------------------------------------------------- schema


def test_schema_and_docs_are_served(personas) -> None:
    schema = APIClient().get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/regions/",
        "/api/v1/regions/{id}/",
        "/api/v1/municipalities/",
        "/api/v1/municipalities/{id}/",
        "/api/v1/schools/",
        "/api/v1/schools/{id}/",
        "/api/v1/schools/{id}/snapshots/",
    ):
        assert path in paths
    docs = APIClient().get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


@pytest.mark.django_db
def test_schema_validates_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/schools/{id}/snapshots/" in target.read_text()


def test_api_root_lists_the_endpoints(personas) -> None:
    response = api_as(personas["region"]).get("/api/v1/")
    assert response.status_code == 200
    assert response.json()["schools"] == "http://testserver/api/v1/schools/"


def test_format_suffix_serves_json(personas, territory) -> None:
    client = api_as(personas["school"])
    response = client.get(f"/api/v1/schools/{territory.a1.pk}/snapshots.json")
    assert response.status_code == 200
    assert [row["year"] for row in response.json()] == [2024, 2023, 2022]


def test_school_without_snapshots_sorts_last_and_has_no_figures(personas, territory) -> None:
    School.objects.create(
        code="a3",
        full_name="Новая школа a3",
        short_name="Школа a3",
        school_type="nosh",
        municipality=territory.muni_a,
    )
    client = api_as(personas["region"])
    assert codes(client.get(f"{SCHOOLS}?ordering=-students")) == ["a1", "a2", "b2", "b1", "a3"]
    assert codes(client.get(f"{SCHOOLS}?ordering=students")) == ["b1", "b2", "a2", "a1", "a3"]
    row = client.get(f"{SCHOOLS}?search=a3").json()["results"][0]
    assert row["latest_snapshot"] is None
    assert row["levels"] == "НОО, ООО, СОО"


def test_school_list_queries_do_not_grow_with_schools(personas, territory) -> None:
    client = api_as(personas["region"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SCHOOLS).status_code == 200
        return len(captured)

    queries()  # warm-up: the first request caches the memberships on the user
    before = queries()
    for number in range(10):
        school = School.objects.create(
            code=f"x{number}",
            full_name=f"Школа x{number}",
            short_name=f"Школа x{number}",
            school_type="sosh",
            municipality=territory.muni_b,
        )
        SchoolSnapshot.objects.create(school=school, year=2024, students_g1=10)
    assert queries() == before
