"""The default rule of target statuses; an administrator may change its parameters."""

from decimal import Decimal

from django.db import migrations


def create_default(apps, schema_editor):
    Rule = apps.get_model("programs", "TargetStatusRule")
    Rule.objects.get_or_create(
        code="default",
        defaults={
            "name": "Правило по умолчанию",
            "on_track_share": Decimal("0.5"),
            "no_baseline_tolerance": Decimal("0.1"),
            "is_default": True,
            "source": (
                "«В графике» — пройдено не меньше половины пути от базового значения к целевому; "
                "без базового значения — отставание от цели не больше 10 % её значения."
            ),
        },
    )


def remove_default(apps, schema_editor):
    apps.get_model("programs", "TargetStatusRule").objects.filter(code="default").delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_soft_delete_rework_targets_reporting")]

    operations = [migrations.RunPython(create_default, remove_default)]
