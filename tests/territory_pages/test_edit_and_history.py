"""Edit pages write through the services, show Russian errors and appear in the history."""

from opora.core.models import AuditEntry
from opora.territory.forms import SnapshotForm
from opora.territory.models import SchoolSnapshot, Settlement

from .conftest import page_tree, rows_by, text_of


def _card_data(school, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "full_name": school.full_name,
        "short_name": school.short_name,
        "school_type": school.school_type,
        "teaches_primary": "on",
        "teaches_basic": "on",
        "teaches_secondary": "on",
        "address": school.address,
        "shifts": school.shifts,
        "is_active": "on",
    }
    if school.is_urban:
        data["is_urban"] = "on"
    data.update(changes)
    return data


def _snapshot_data(snapshot, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        name: value
        for name, value in SnapshotForm(instance=snapshot).initial.items()
        if value is not None and value is not False
    }
    data.update(changes)
    return data


def test_school_edit_records_an_audit_entry_shown_on_card_and_history(personas, territory, login):
    client = login(personas["school"])
    school = territory.a1
    assert client.get(f"/schools/{school.pk}/edit/").status_code == 200
    response = client.post(
        f"/schools/{school.pk}/edit/", _card_data(school, address="ул. Ленина, 1", shifts=2)
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(school.pk), content_type__model="school")
    assert (entry.actor_name, entry.source, entry.action) == ("p-school", "web", "update")
    assert entry.changes == {"address": ["", "ул. Ленина, 1"], "shifts": [1, 2]}
    card = text_of(client.get(f"/schools/{school.pk}/"))
    assert "адрес: — → ул. Ленина, 1" in card
    assert "число смен: 1 → 2" in card
    assert "Карточка школы сохранена." in card
    history = text_of(login(personas["region"]).get("/history/"))
    assert "p-school" in history and "адрес: — → ул. Ленина, 1" in history


def test_school_edit_shows_russian_errors(personas, territory, login):
    client = login(personas["region"])
    response = client.post(
        f"/schools/{territory.a1.pk}/edit/", _card_data(territory.a1, short_name="", shifts=5)
    )
    text = text_of(response)
    assert "Обязательное поле." in text
    assert "Убедитесь, что это значение меньше либо равно 3." in text
    assert not AuditEntry.objects.exists()


def test_snapshot_edit_validates_parts_against_whole(personas, territory, login):
    client = login(personas["municipality"])
    snapshot = SchoolSnapshot.objects.get(school=territory.a1, year=2024)
    url = f"/schools/{territory.a1.pk}/snapshots/2024/edit/"
    response = client.post(url, _snapshot_data(snapshot, teachers_total=3))
    assert "Число учителей старше 55 лет (7) больше, чем «учителей всего» (3)." in text_of(response)
    assert not AuditEntry.objects.exists()
    response = client.post(url, _snapshot_data(snapshot, teachers_total=25))
    assert response.status_code == 302
    card = text_of(client.get(f"/schools/{territory.a1.pk}/"))
    assert "учителей всего: 20 → 25" in card


def test_new_year_snapshot_is_created(personas, territory, login):
    client = login(personas["region"])
    url = f"/schools/{territory.b1.pk}/snapshots/2025/edit/"
    assert "Внесение данных за 2024/25 учебный год" in text_of(client.get(url))
    response = client.post(url, {"students_g1": 10, "students_g2": 12, "teachers_total": 9})
    assert response.status_code == 302
    snapshot = SchoolSnapshot.objects.get(school=territory.b1, year=2025)
    assert (snapshot.students_total, snapshot.teachers_total) == (22, 9)
    rows = rows_by(client.get("/schools/?q=b1"), "data-school")
    assert rows["b1"][-2:] == ["22", "9"]


def test_edit_pages_are_not_found_out_of_scope_or_without_edit_right(personas, territory, login):
    assert login(personas["school"]).get(f"/schools/{territory.a2.pk}/edit/").status_code == 404
    tutor = login(personas["tutor"])
    assert tutor.get(f"/schools/{territory.a1.pk}/edit/").status_code == 404
    assert tutor.get(f"/schools/{territory.a1.pk}/snapshots/2024/edit/").status_code == 404
    region = login(personas["region"])
    assert region.get(f"/schools/{territory.c1.pk}/snapshots/2024/edit/").status_code == 404
    assert region.get(f"/schools/{territory.a1.pk}/snapshots/1900/edit/").status_code == 404


def test_history_is_scoped_filtered_and_paginated(personas, territory, login):
    region = login(personas["region"])
    for index in range(55):
        region.post(
            f"/schools/{territory.b1.pk}/edit/", _card_data(territory.b1, address=f"дом {index}")
        )
    region.post(f"/schools/{territory.a1.pk}/edit/", _card_data(territory.a1, address="ул. А"))
    first = region.get("/history/")
    assert len(page_tree(first).xpath('//table[@data-testid="history-table"]/tbody/tr')) == 50
    assert "Страница 1 из 2" in text_of(first)
    only_a1 = text_of(region.get(f"/history/?school={territory.a1.pk}"))
    assert "ул. А" in only_a1 and "дом 54" not in only_a1
    assert "ул. А" not in text_of(region.get("/history/?q=b1"))
    school_view = text_of(login(personas["school"]).get("/history/"))
    assert "ул. А" in school_view and "дом 54" not in school_view
    assert login(personas["tutor"]).get("/history/").status_code == 403


def test_history_shows_related_objects_by_name(personas, territory, login):
    settlement = Settlement.objects.create(
        municipality=territory.muni_b, name="село Луговое", population=800
    )
    client = login(personas["region"])
    client.post(
        f"/schools/{territory.b1.pk}/edit/", _card_data(territory.b1, settlement=settlement.pk)
    )
    assert "населённый пункт: — → село Луговое" in text_of(client.get("/history/"))
