"""The same seed builds the same region; another seed builds another one."""

from typing import Any

from django.db import transaction

from opora.demo.generator import STEPS, generate_demo
from opora.territory.models import SNAPSHOT_FIELDS, School, SchoolSnapshot


def _fingerprint(seed: int, **options: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Generate in a rolled-back transaction and return every school and snapshot value."""
    with transaction.atomic():
        generate_demo(seed, **options)
        result = {
            "schools": list(
                School.objects.order_by("code").values_list(
                    "code", "short_name", "full_name", "inn", "ogrn", "school_type", "address"
                )
            ),
            "snapshots": list(
                SchoolSnapshot.objects.order_by("school__code", "year").values_list(
                    "school__code", "year", *SNAPSHOT_FIELDS
                )
            ),
        }
        transaction.set_rollback(True)
    return result


def test_same_seed_gives_identical_region(db: None) -> None:
    first = _fingerprint(5, schools=120)
    assert len(first["schools"]) == 120
    assert len(first["snapshots"]) == 600
    assert _fingerprint(5, schools=120) == first


def test_different_seed_gives_different_region(db: None) -> None:
    assert _fingerprint(5, schools=120) != _fingerprint(6, schools=120)


def test_steps_added_later_do_not_change_the_region(db: None) -> None:
    full = _fingerprint(7, schools=60)
    without_later_steps = _fingerprint(7, schools=60, steps=STEPS[:3])
    assert without_later_steps == full
