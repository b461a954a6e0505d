"""Evidence upload (size, type and signature checked, stored under MEDIA_ROOT, downloaded in
scope) and the targets page (statuses, values typed by hand, chart spec)."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opora.accounts.models import User
from opora.programs.evidence import MAX_EVIDENCE_BYTES
from opora.programs.models import Activity, ActivityEvidence, ProgramTarget
from tests.conftest import Territory
from tests.programs.graph import program_graph


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def a1_activity(territory: Territory) -> Activity:
    programs = program_graph(territory)
    return Activity.objects.get(track__program=programs[2])


def test_evidence_upload_is_checked_and_stored(
    personas: dict[str, User],
    a1_activity: Activity,
    settings,
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = _client(personas["school"])
    url = f"/programs/activities/{a1_activity.pk}/evidence/"
    cases = [
        (SimpleUploadedFile("script.exe", b"MZ\x90"), "такой тип не принимается"),
        (SimpleUploadedFile("report.pdf", b"PK\x03\x04 not a pdf"), "не похож на PDF"),
        (SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * MAX_EVIDENCE_BYTES), "больше 20 МБ"),
    ]
    for upload, message in cases:
        page = client.post(url, {"file": upload, "title": "x"}).content.decode()
        assert message in page, message
    assert ActivityEvidence.objects.filter(activity=a1_activity).count() == 1  # from the graph
    response = client.post(
        url,
        {"file": SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 protocol"), "title": "Протокол"},
    )
    assert response.status_code == 302
    evidence = ActivityEvidence.objects.filter(activity=a1_activity).latest("pk")
    assert (tmp_path / evidence.file.name).read_bytes() == b"%PDF-1.4 protocol"
    download = client.get(f"/programs/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 protocol"
    assert _client(personas["curator"]).get(f"/programs/evidence/{evidence.pk}/").status_code == 404
    assert (
        _client(personas["tutor"])
        .post(url, {"file": SimpleUploadedFile("p.pdf", b"%PDF-1.4")})
        .status_code
        == 403
    )


def test_targets_page_shows_statuses_by_the_rule_and_a_chart(
    personas: dict[str, User], territory: Territory
) -> None:
    program = program_graph(territory)[2]
    target = ProgramTarget.objects.get(program=program)
    client = _client(personas["school"])
    response = client.post(
        f"/programs/targets/{target.pk}/",
        {"target_2023": "60", "actual_2023": "55", "target_2024": "80", "actual_2024": ""},
    )
    assert response.status_code == 302
    values = {v.year: (v.value, v.actual_value, v.actual_source) for v in target.values.all()}
    assert values == {
        2023: (Decimal("60.000"), Decimal("55.000"), "manual"),
        2024: (Decimal("80.000"), None, ""),
    }
    page = client.get(f"/programs/{program.pk}/targets/").content.decode()
    # baseline 40, target 60, actual 55: three quarters of the way → on track
    assert 'data-status="on_track"' in page
    assert 'data-year-status="on_track"' in page and 'data-year-status="no_data"' in page
    assert "пройдено не меньше 50 % пути" in page
    chart = page.split(f'data-chart-name="target-{target.pk}"')[1]
    spec = json.loads(chart.split("data-chart>")[1].split("</script>")[0])
    assert "vendor/vega/vega-embed.min.js" in page and "opora/charts.js" in page
    assert spec["data"]["values"] == [
        {"year": "2023", "series": "Цель", "value": 60.0},
        {"year": "2023", "series": "Факт", "value": 55.0},
        {"year": "2024", "series": "Цель", "value": 80.0},
    ]
    coordinator = _client(personas["municipality"])
    assert (
        coordinator.post(f"/programs/targets/{target.pk}/", {"target_2023": "1"}).status_code == 403
    )


def test_a_library_target_takes_name_unit_and_direction_from_the_library(
    personas: dict[str, User], territory: Territory
) -> None:
    program = program_graph(territory)[1]
    response = _client(personas["municipality"]).post(
        f"/programs/{program.pk}/targets/",
        {"indicator_code": "vpr_fail_share", "direction": "higher_better", "target_2023": "10"},
    )
    assert response.status_code == 302
    target = ProgramTarget.objects.get(program=program, indicator_code="vpr_fail_share")
    assert (target.name, target.unit, target.direction) == (
        "ВПР: доля отметок «2»",
        "%",
        "lower_better",
    )
    assert [(v.year, v.value) for v in target.values.all()] == [(2023, Decimal("10.000"))]
