"""Stored methodologies gain `clusters.registry`, the clusters whose schools form the registry.

Until now the registry was НОР ∪ ССУ by a rule in code; the parameter keeps exactly that value
for every stored document that lacks it, so no list changes.
"""

from django.db import migrations

FORMER_RULE = ["nor", "ssu"]


def add_registry(apps, schema_editor):  # type: ignore[no-untyped-def]
    Methodology = apps.get_model("analysis", "Methodology")
    for methodology in Methodology.objects.all():
        clusters = methodology.document.get("clusters")
        if isinstance(clusters, dict) and "registry" not in clusters:
            clusters["registry"] = list(FORMER_RULE)
            methodology.save(update_fields=["document"])


def remove_registry(apps, schema_editor):  # type: ignore[no-untyped-def]
    Methodology = apps.get_model("analysis", "Methodology")
    for methodology in Methodology.objects.all():
        clusters = methodology.document.get("clusters")
        if isinstance(clusters, dict) and clusters.pop("registry", None) is not None:
            methodology.save(update_fields=["document"])


class Migration(migrations.Migration):
    dependencies = [("analysis", "0001_initial")]

    operations = [migrations.RunPython(add_registry, remove_registry)]
