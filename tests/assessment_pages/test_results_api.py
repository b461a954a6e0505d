"""The results API: aggregates by school, municipality and region; student rows; scope; schema."""

from rest_framework.test import APIClient

from opora.assessment.models import StudentResult

SCHOOLS = "/api/v1/results/schools/"
MUNICIPALITIES = "/api/v1/results/municipalities/"
REGIONS = "/api/v1/results/regions/"
STUDENTS = "/api/v1/results/students/"


def api_as(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(response) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_school_aggregates_with_exact_figures(personas, territory, results):
    found = rows(api_as(personas["region"]).get(SCHOOLS, {"year": 2024, "procedure": "vpr"}))
    assert [(r["code"], r["participants"]) for r in found] == [
        ("a1", 12),
        ("a2", 5),
        ("b1", 10),
        ("b2", 8),
    ]
    a1 = found[0]
    assert a1 == {
        "id": territory.a1.pk,
        "code": "a1",
        "name": "Школа a1",
        "year": 2024,
        "procedure": "vpr",
        "subject": "math",
        "grade": 5,
        "kind": "mark",
        "suppressed": False,
        "participants": 12,
        "mean": "3.33",
        "share_fail": "25.0",
        "share_top": "41.7",
        "distribution": [
            {"category": "«2»", "count": 3, "share": "25.0"},
            {"category": "«3»", "count": 4, "share": "33.3"},
            {"category": "«4»", "count": 3, "share": "25.0"},
            {"category": "«5»", "count": 2, "share": "16.7"},
        ],
    }


def test_ege_row_reads_test_scores(personas, territory, results):
    found = rows(api_as(personas["school"]).get(SCHOOLS, {"procedure": "ege"}))
    assert len(found) == 1
    assert (found[0]["kind"], found[0]["mean"], found[0]["share_fail"], found[0]["share_top"]) == (
        "score",
        "58.50",
        "18.2",
        "36.4",
    )
    assert [b["count"] for b in found[0]["distribution"]] == [0, 0, 3, 0, 1, 1, 1, 1, 2, 2]


def test_school_persona_gets_own_school_only(personas, territory, results):
    found = rows(api_as(personas["school"]).get(SCHOOLS))
    assert {r["code"] for r in found} == {"a1"}
    assert {(r["procedure"], r["year"]) for r in found} == {
        ("vpr", 2022),
        ("vpr", 2023),
        ("vpr", 2024),
        ("ege", 2024),
    }


def test_region_and_municipality_aggregates(personas, territory, results):
    region = rows(api_as(personas["resource"]).get(REGIONS, {"year": 2024, "grade": 5}))
    assert [(r["code"], r["participants"], r["mean"]) for r in region] == [("99", 35, "3.57")]
    municipalities = rows(
        api_as(personas["resource"]).get(MUNICIPALITIES, {"year": 2024, "subject": "math"})
    )
    assert [(r["code"], r["procedure"], r["participants"], r["mean"]) for r in municipalities] == [
        ("A", "vpr", 17, "3.47"),
        ("B", "vpr", 18, "3.67"),
        ("B", "oge", 20, "3.60"),
    ]


def test_observer_gets_public_figures_with_small_groups_suppressed(personas, territory, results):
    client = api_as(personas["observer"])
    assert client.get(SCHOOLS).status_code == 403
    found = rows(client.get(MUNICIPALITIES, {"year": 2023}))
    assert [(r["code"], r["suppressed"], r["participants"], r["mean"]) for r in found] == [
        ("A", True, None, None),
        ("B", True, None, None),
    ]
    assert found[1]["distribution"] == []


def test_bad_filter_answers_400(personas, territory, results):
    response = api_as(personas["region"]).get(SCHOOLS, {"year": "двадцать", "grade": 13})
    assert response.status_code == 400
    assert set(response.json()) == {"year", "grade"}


def test_student_rows_for_regional_roles_with_keys_only(personas, territory, results):
    found = rows(
        api_as(personas["monitoring"]).get(
            STUDENTS, {"school": territory.a1.pk, "year": 2024, "procedure": "ege"}
        )
    )
    assert sorted(r["test_score"] for r in found) == sorted(
        [20, 50, 81, 90, 100, 60, 70, 23, 24, 85, 40]
    )
    first = found[0]
    assert first["school_code"] == "a1"
    assert len(first["student_key"]) == 32
    assert not {"name", "surname", "birth_date", "student_id"} & set(first)


def test_student_rows_are_refused_to_municipal_school_and_public_roles(
    personas, territory, results
):
    for persona in ("municipality", "curator", "tutor", "school", "observer"):
        response = api_as(personas[persona]).get(STUDENTS)
        assert response.status_code == 403, persona
        assert response.json() == {"detail": "Недостаточно прав для этого раздела."}


def test_student_rows_stay_in_the_region(personas, territory, results):
    found = rows(api_as(personas["region"]).get(STUDENTS, {"page_size": 500}))
    in_region = StudentResult.objects.filter(school__municipality__region=territory.region)
    assert len(found) == in_region.count() == 75
    assert territory.c1.pk not in {r["school"] for r in found}


def test_schema_describes_the_results_endpoints(personas, territory):
    response = api_as(personas["region"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (SCHOOLS, MUNICIPALITIES, REGIONS, STUDENTS):
        assert path in paths
    parameters = {p["name"] for p in paths[SCHOOLS]["get"]["parameters"]}
    assert {"year", "procedure", "subject", "grade"} <= parameters
