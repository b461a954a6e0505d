"""Task scores become compact JSON text (PostgreSQL: `text` instead of `jsonb`); the batch index
becomes BRIN on PostgreSQL. Both make `COPY` of a large file markedly cheaper."""

import django.db.models.deletion
from django.db import migrations, models

import opora.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_result_fk_without_db_constraints"),
    ]

    operations = [
        migrations.AlterField(
            model_name="studentresult",
            name="batch",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="results",
                to="assessment.importbatch",
                verbose_name="пакет загрузки",
            ),
        ),
        migrations.AlterField(
            model_name="studentresult",
            name="task_scores",
            field=opora.core.fields.ScoreListField(
                blank=True, null=True, verbose_name="баллы по заданиям"
            ),
        ),
        migrations.AddIndex(
            model_name="studentresult",
            index=opora.core.fields.BrinOnPostgres(fields=["batch"], name="result_batch_brin"),
        ),
    ]
