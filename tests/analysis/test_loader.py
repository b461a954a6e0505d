"""The loader reads a tiny hand-built database into the schema frames of the analytics core."""

import polars as pl
import pytest

from opora.analysis.loaders import load_frames
from opora.analytics.methodology import load_preset
from opora.analytics.pipeline import run_analysis
from opora.assessment.models import ImportBatch, ReferenceValue, StudentResult
from tests.analysis.graph import add_aggregates

pytestmark = pytest.mark.django_db


def test_loader_reads_every_frame_with_schema_names_and_exact_values(territory) -> None:
    t = territory
    batch = add_aggregates(t)
    students = ImportBatch.objects.create(file_name="участники.csv", sha256="1" * 64)
    common = {"school": t.a1, "procedure_id": "vpr", "subject_id": "math", "year": 2024}
    StudentResult.objects.create(
        student_key="k1",
        grade=4,
        period="main",
        primary_score=12,
        mark=4,
        journal_mark_term=5,
        journal_mark_year=4,
        batch=students,
        **common,
    )
    StudentResult.objects.create(
        student_key="k2", grade=4, period="main", primary_score=3, mark=2, batch=students, **common
    )
    ReferenceValue.objects.create(
        year=2024, procedure_id="vpr", subject_id="math", max_primary_score=20
    )

    loaded = load_frames(t.region.pk, 2024)

    schools = loaded.frames["schools"]
    assert schools["school_id"].to_list() == sorted([t.a1.pk, t.a2.pk, t.b1.pk, t.b2.pk])
    row = schools.filter(pl.col("school_id") == t.b1.pk).row(0, named=True)
    assert row == {
        "school_id": t.b1.pk,
        "municipality_id": t.muni_b.pk,
        "region_id": t.region.pk,
        "is_urban": False,
        "school_type": "sosh",
        "short_name": "Школа b1",
        "settlement_population": None,
        "transport_access": None,
    }
    context = loaded.frames["context"]
    assert context.height == 4 * 3  # four schools × 2022–2024; c1 is in the other region
    a1_2024 = context.filter((pl.col("school_id") == t.a1.pk) & (pl.col("year") == 2024))
    assert a1_2024.select(
        "students_g1", "students_g5", "students_total", "teachers_total", "teachers_over_55"
    ).row(0) == (72, 728, 800, 20, 7)
    assert context.schema["ovz_share"] == pl.Float64
    result_rows = loaded.frames["student_results"].sort("primary_score")
    assert result_rows.select(
        "procedure",
        "subject",
        "grade",
        "period",
        "mark",
        "primary_score",
        "journal_term",
        "journal_year",
    ).rows() == [
        ("vpr", "math", 4, "main", 2, 3, None, None),
        ("vpr", "math", 4, "main", 4, 12, 5, 4),
    ]
    assert result_rows["student_key"].to_list() == [None, None]  # keys only on medalists' rows
    aggregates = loaded.frames["school_aggregates"]
    assert aggregates.height == 4 * 3 * 2
    b1 = aggregates.filter(
        (pl.col("school_id") == t.b1.pk) & (pl.col("year") == 2023) & (pl.col("subject") == "rus")
    ).row(0, named=True)
    assert (b1["participants"], b1["count_2"], b1["count_3"], b1["mean_primary_score"]) == (
        25,
        11,
        14,
        6.0,
    )
    assert loaded.frames["reference"].rows() == [(2024, "vpr", "math", None, None, 20)]
    assert loaded.batch_ids == sorted([batch.pk, students.pk])
    assert loaded.years == [2022, 2023, 2024]
    # The frames pass the core's schema validation and run.
    result = run_analysis(loaded.frames, load_preset(), with_peers=False)
    assert result.year == 2024


def test_loader_reads_only_up_to_the_year_and_only_the_region(territory) -> None:
    add_aggregates(territory)
    loaded = load_frames(territory.region.pk, 2023)
    assert loaded.years == [2022, 2023]
    assert territory.c1.pk not in loaded.frames["school_aggregates"]["school_id"].to_list()
    other = load_frames(territory.other_region.pk)
    assert other.frames["schools"]["school_id"].to_list() == [territory.c1.pk]
