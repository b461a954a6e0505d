"""The audit trail: services and the admin record who changed what, before and after."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from opora.accounts.models import User
from opora.core.models import AuditEntry
from opora.territory.models import School
from opora.territory.services import WriteStatus, school_update, snapshot_upsert


def test_service_update_records_before_and_after(territory, personas) -> None:
    actor = personas["region"]
    status = school_update(
        actor=actor, school=territory.a1, data={"address": "ул. Ленина, 1"}, source="web"
    )
    assert status == WriteStatus.UPDATED
    entry = AuditEntry.objects.get(object_id=str(territory.a1.pk), action="update")
    assert entry.actor == actor
    assert entry.changes == {"address": ["", "ул. Ленина, 1"]}


def test_unchanged_update_records_nothing(territory, personas) -> None:
    status = school_update(
        actor=personas["region"], school=territory.a1, data={"address": ""}, source="web"
    )
    assert status == WriteStatus.UNCHANGED
    assert not AuditEntry.objects.exists()


def test_snapshot_upsert_validates_parts_against_whole(territory, personas) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as info:
        snapshot_upsert(
            actor=personas["region"],
            school=territory.a1,
            year=2024,
            data={"teachers_total": 10, "teachers_over_55": 11},
            source="web",
        )
    assert "teachers_over_55" in info.value.message_dict
    assert "больше" in info.value.message_dict["teachers_over_55"][0]
    assert AuditEntry.objects.count() == 0


def test_admin_change_is_audited(territory) -> None:
    admin = User.objects.create_superuser("root", password="pw")
    client = Client()
    client.force_login(admin)
    school = territory.b1
    url = f"/admin/territory/school/{school.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update({"short_name": "Школа b1 (новое имя)", "municipality": school.municipality_id})
    data["is_urban"] = ""
    data["teaches_primary"] = "on"
    data["teaches_basic"] = "on"
    data["teaches_secondary"] = "on"
    data["is_active"] = "on"
    prefix = "snapshots"
    snapshots = list(school.snapshots.order_by("pk"))
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(snapshots)),
            f"{prefix}-INITIAL_FORMS": str(len(snapshots)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, snap in enumerate(snapshots):
        data[f"{prefix}-{index}-id"] = snap.pk
        data[f"{prefix}-{index}-school"] = school.pk
        data[f"{prefix}-{index}-year"] = snap.year
        for field in ("students_g1", "students_g5", "teachers_total", "teachers_over_55"):
            data[f"{prefix}-{index}-{field}"] = getattr(snap, field)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert School.objects.get(pk=school.pk).short_name == "Школа b1 (новое имя)"
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(School), object_id=str(school.pk)
    )
    assert entry.source == "admin"
    assert entry.changes["short_name"] == ["Школа b1", "Школа b1 (новое имя)"]
