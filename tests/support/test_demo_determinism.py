"""The demo's programs and events are the same for the same seed."""

from typing import Any

from django.db import transaction

from opora.demo.generator import generate_demo
from opora.programs.models import Activity
from opora.support import models as m


def _fingerprint() -> list[tuple[Any, ...]]:
    with transaction.atomic():
        generate_demo(4, schools=40)
        rows = list(
            Activity.objects.order_by("track__program__name", "number").values_list(
                "track__program__name",
                "number",
                "name",
                "status",
                "done_on",
                "responsible_user__username",
            )
        ) + list(
            m.Event.objects.order_by("date_start", "topic").values_list(
                "date_start", "topic", "participants_total"
            )
        )
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_programs_and_events(db: None) -> None:
    first = _fingerprint()
    assert len(first) > 100
    assert _fingerprint() == first
