"""Task scores become `smallint[]` on PostgreSQL (JSON text elsewhere); the batch index becomes BRIN.

PostgreSQL has no cast from `jsonb` to `smallint[]` and `ALTER … USING` allows no subquery, so a
temporary SQL function converts the stored lists. SQLite keeps its JSON text column, which is
what the field stores there.
"""

import django.db.models.deletion
from django.db import migrations, models

import opora.core.fields

TO_ARRAY = """
CREATE FUNCTION pg_temp.opora_scores(value jsonb) RETURNS smallint[] LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN value IS NULL THEN NULL
        ELSE coalesce(array_agg(element::smallint ORDER BY position), '{}') END
    FROM jsonb_array_elements_text(value) WITH ORDINALITY AS items(element, position)
$$;
ALTER TABLE assessment_studentresult
    ALTER COLUMN task_scores TYPE smallint[] USING pg_temp.opora_scores(task_scores);
"""
TO_JSON = """
ALTER TABLE assessment_studentresult
    ALTER COLUMN task_scores TYPE jsonb USING to_jsonb(task_scores);
"""


def _sql(statement: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


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
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="studentresult",
                    name="task_scores",
                    field=opora.core.fields.ScoreListField(
                        blank=True, null=True, verbose_name="баллы по заданиям"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(_sql(TO_ARRAY), _sql(TO_JSON))],
        ),
        migrations.AddIndex(
            model_name="studentresult",
            index=opora.core.fields.BrinOnPostgres(fields=["batch"], name="result_batch_brin"),
        ),
    ]
