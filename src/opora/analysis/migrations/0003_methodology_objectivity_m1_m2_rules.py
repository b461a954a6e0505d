"""Stored methodologies gain two objectivity parameters that were rules in code:

* `objectivity.m1.external_window` — which ОГЭ/ЕГЭ years M1 compares a ВПР result with;
* `objectivity.m2.expected` — what M2 measures a school's task pattern against.

Every stored document that lacks them gets the former rule (`pooled`: all years of the window,
N-weighted; `region`: the region's share of points), so no stored list changes. The shipped preset
`default` 1.1.0 says `latest` and `same_total` (docs/analytics.md).
"""

from django.db import migrations

FORMER_RULES = {("m1", "external_window"): "pooled", ("m2", "expected"): "region"}


def _marker(document, marker):  # type: ignore[no-untyped-def]
    objectivity = document.get("objectivity")
    if isinstance(objectivity, dict) and isinstance(objectivity.get(marker), dict):
        return objectivity[marker]
    return None


def add_rules(apps, schema_editor):  # type: ignore[no-untyped-def]
    Methodology = apps.get_model("analysis", "Methodology")
    for methodology in Methodology.objects.all():
        changed = False
        for (marker, name), value in FORMER_RULES.items():
            params = _marker(methodology.document, marker)
            if params is not None and name not in params:
                params[name] = value
                changed = True
        if changed:
            methodology.save(update_fields=["document"])


def remove_rules(apps, schema_editor):  # type: ignore[no-untyped-def]
    Methodology = apps.get_model("analysis", "Methodology")
    for methodology in Methodology.objects.all():
        changed = False
        for marker, name in FORMER_RULES:
            params = _marker(methodology.document, marker)
            if params is not None and params.pop(name, None) is not None:
                changed = True
        if changed:
            methodology.save(update_fields=["document"])


class Migration(migrations.Migration):
    dependencies = [("analysis", "0002_methodology_registry_clusters")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
