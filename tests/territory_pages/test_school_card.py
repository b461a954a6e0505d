"""School card: card fields, three years of context with changes, buttons and history by role."""

from opora.territory.models import Settlement

from .conftest import page_tree, text_of


def _row(response, group: str, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    tree = page_tree(response)
    table = tree.xpath(f'//table[@data-group="{group}"]')[0]
    for row in table.xpath(".//tbody/tr"):
        cells = [" ".join(" ".join(c.itertext()).split()) for c in row.xpath("./th|./td")]
        if cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in {group!r}")


def test_card_shows_the_stable_fields(personas, territory, login):
    settlement = Settlement.objects.create(
        municipality=territory.muni_a, name="Город А", population=120_000, is_urban=True
    )
    school = territory.a1
    school.settlement = settlement
    school.inn = "7701000001"
    school.transport_access = "daily"
    school.shifts = 2
    school.save()
    text = text_of(login(personas["region"]).get(f"/schools/{school.pk}/"))
    for expected in [
        "Код школы a1",
        "ИНН 7701000001",
        "Тип СОШ (средняя)",
        "Уровни образования НОО, ООО, СОО",
        "Муниципалитет Город А",
        "Населённый пункт Город А (более 100 тыс., 120 000 чел.)",
        "Местность городская",
        "Транспортная доступность ежедневная поездка в крупный город возможна",
        "Число смен 2",
    ]:
        assert expected in text


def test_card_shows_three_years_with_changes_and_derived_shares(personas, territory, login):
    response = login(personas["region"]).get(f"/schools/{territory.a1.pk}/")
    tree = page_tree(response)
    heads = tree.xpath('//table[@data-group="Кадры"]/thead/tr/th')
    assert [" ".join(h.text_content().split()) for h in heads][1:] == [
        "2021/22 ✎",
        "2022/23 ✎",
        "2023/24 ✎",
    ]
    assert _row(response, "Контингент", "обучающихся всего") == ["800", "800", "800"]
    assert _row(response, "Контингент", "обучающихся в 1 классе") == ["72", "72", "72"]
    assert _row(response, "Кадры", "учителей всего") == ["20", "20", "20"]
    assert _row(response, "Кадры", "учителей старше 55 лет") == ["5", "6 ▲ +1", "7 ▲ +1"]
    assert _row(response, "Кадры", "доля учителей старше 55 лет, %") == [
        "25",
        "30 ▲ +5",
        "35 ▲ +5",
    ]
    assert _row(response, "Программы и центры", "центр «Точка роста»") == ["нет"] * 3


def test_card_out_of_scope_is_not_found(personas, territory, login):
    assert login(personas["tutor"]).get(f"/schools/{territory.a2.pk}/").status_code == 404
    assert login(personas["region"]).get(f"/schools/{territory.c1.pk}/").status_code == 404
    assert login(personas["observer"]).get(f"/schools/{territory.a1.pk}/").status_code == 404


def test_buttons_and_history_follow_capabilities(personas, territory, login, client):
    expectations = {
        "region": (True, True),
        "resource": (False, True),
        "municipality": (True, True),
        "school": (True, True),
        "tutor": (False, False),
    }
    for persona, (can_edit, can_audit) in expectations.items():
        content = login(personas[persona]).get(f"/schools/{territory.a1.pk}/").content.decode()
        assert ('data-testid="edit-school"' in content) is can_edit, persona
        assert ("История изменений</h2>" in content) is can_audit, persona
        client.logout()


def test_card_query_count_does_not_grow_with_history(
    personas, territory, login, django_assert_num_queries
):
    client = login(personas["region"])
    url = f"/schools/{territory.a1.pk}/"
    client.get(url)
    # A fixed set of queries, the last one the object-level scope check of the analysis tabs.
    with django_assert_num_queries(9) as before:
        client.get(url)
    count = len(before.captured_queries)
    for address in ["ул. Мира, 1", "ул. Мира, 2", "ул. Мира, 3"]:
        client.post(
            f"/schools/{territory.a1.pk}/edit/",
            {
                "full_name": territory.a1.full_name,
                "short_name": "Школа a1",
                "school_type": "sosh",
                "address": address,
                "shifts": 1,
                "is_active": "on",
            },
        )
    with django_assert_num_queries(count):
        assert "ул. Мира, 3" in client.get(url).content.decode()
