"""Demo results of seed 1: valid rows, the truth file, and the planted cases visible in the data.

A region of 200 schools with results (about a million rows) is generated once for the module in a
transaction rolled back at the end; `opora demo` makes 400 with the same rules, planted cases
scaled to the size (15, 12, 10, 10, 8 for 400).
Group figures are computed here with the ORM and Polars, independently of the analytics code.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.db import connection, transaction
from django.db.models import Avg, Count, F, Max, Min, Q
from django.db.models.functions import Coalesce

from opora.assessment.choices import BatchStatus
from opora.assessment.models import ImportBatch, StudentResult
from opora.demo.context import DemoContext
from opora.demo.generator import generate_demo
from opora.demo.results import truth_path
from opora.demo.results.spec import VPR_SCALES
from opora.demo.results.step import draw_results, write_truth
from opora.territory.models import School

YEARS = [2021, 2022, 2023, 2024, 2025]
SCHOOLS = 200
CASES = ["low_results", "inflated_vpr", "resilient", "declining", "unconfirmed_medalists"]
pytestmark = pytest.mark.django_db
GROUP = ["school_id", "year", "procedure_id", "subject_id", "grade"]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[DemoContext]:
    with django_db_blocker.unblock(), transaction.atomic():
        ctx = generate_demo(1, schools=SCHOOLS, results=True)
        # Check the deferred foreign keys of the million rows once, here, rather than in the
        # teardown of every test (where a rolled-back savepoint would leave them pending).
        connection.check_constraints()
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def truth(demo: DemoContext) -> dict[str, Any]:
    return demo.extra["results_truth"]


@pytest.fixture(scope="module")
def codes(demo: DemoContext) -> dict[int, str]:
    return {school.pk: school.code for school in demo.schools}


@pytest.fixture(scope="module")
def groups(demo: DemoContext) -> pl.DataFrame:
    """One row per school × year × procedure × subject × grade with n, fails and mean score."""
    rows = list(
        StudentResult.objects.values(*GROUP).annotate(
            n=Count("id"),
            fails=Count("id", filter=Q(mark=2)),
            mean=Avg(Coalesce("test_score", "primary_score")),
        )
    )
    frame = pl.DataFrame(rows).with_columns(pl.col("mean").cast(pl.Float64))
    return frame.with_columns(
        fail_share=pl.col("fails") / pl.col("n"),
        region_fail=pl.col("fails").sum().over(GROUP[1:]) / pl.col("n").sum().over(GROUP[1:]),
    )


def composite(groups: pl.DataFrame) -> pl.DataFrame:
    """N-weighted mean over groups (N ≥ 10) of the group mean standardised over schools."""
    over = GROUP[1:]
    return (
        groups.filter(pl.col("n") >= 10)
        .with_columns(
            z=(pl.col("mean") - pl.col("mean").mean().over(over)) / pl.col("mean").std().over(over)
        )
        .group_by("school_id", "year")
        .agg(Z=(pl.col("z") * pl.col("n")).sum() / pl.col("n").sum())
    )


def planted(truth: dict[str, Any], case: str) -> dict[str, dict[str, Any]]:
    return {entry["school"]: entry for entry in truth[case]}


def test_rows_are_valid_and_carry_no_names(demo: DemoContext, truth: dict) -> None:
    assert StudentResult.objects.count() == truth["rows"] > 500_000
    assert set(StudentResult.objects.values_list("year", flat=True).distinct()) == set(YEARS)
    assert set(StudentResult.objects.values_list("procedure_id", flat=True).distinct()) == {
        "vpr",
        "oge",
        "ege",
        "ege_base",
    }
    marked = StudentResult.objects.exclude(procedure_id="ege")
    assert marked.aggregate(low=Min("mark"), high=Max("mark")) == {"low": 2, "high": 5}
    assert not marked.filter(mark__isnull=True).exists()
    assert not marked.filter(primary_score__isnull=True).exists()
    ege = StudentResult.objects.filter(procedure_id="ege")
    assert ege.aggregate(low=Min("test_score"), high=Max("test_score"))["high"] <= 100
    assert not ege.filter(Q(test_score__isnull=True) | Q(mark__isnull=False)).exists()
    journal = StudentResult.objects.filter(procedure_id__in=["vpr", "oge"])
    assert journal.aggregate(a=Min("journal_mark_year"), b=Max("journal_mark_term")) == {
        "a": 2,
        "b": 5,
    }
    assert not journal.filter(journal_mark_term__isnull=True).exists()
    keys = StudentResult.objects.values_list("student_key", flat=True)[:5000]
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in keys)
    labels = set(StudentResult.objects.values_list("class_label", flat=True).distinct())
    assert all(re.fullmatch(r"\d{1,2}[А-Я]", label) for label in labels)
    tasks = StudentResult.objects.filter(procedure_id="vpr").values_list(
        "task_scores", "primary_score"
    )[:2000]
    assert all(sum(scores) == total for scores, total in tasks)
    batches = ImportBatch.objects.filter(status=BatchStatus.COMMITTED)
    assert batches.count() == 20  # 4 procedures × 5 years
    assert sum(b.rows_written for b in batches) == truth["rows"]
    # A student's key links their rows across years: grade 4 of 2021 writes grade 5 in 2022.
    school = next(s for s in demo.schools if s.school_type == "sosh")
    grade4 = set(
        StudentResult.objects.filter(school=school, year=2021, grade=4).values_list(
            "student_key", flat=True
        )
    )
    grade5 = set(
        StudentResult.objects.filter(school=school, year=2022, grade=5).values_list(
            "student_key", flat=True
        )
    )
    assert len(grade4 & grade5) >= 0.9 * min(len(grade4), len(grade5)) > 0


def test_drawing_is_deterministic_per_seed(demo: DemoContext, truth: dict) -> None:
    frame, again = draw_results(demo)
    stored = StudentResult.objects.filter(year=2025, procedure_id="oge").order_by(
        "school_id", "student_key", "subject_id"
    )
    first = frame.filter((pl.col("year") == 2025) & (pl.col("procedure_id") == "oge")).sort(
        "school_id", "student_key", "subject_id"
    )
    assert first.height == stored.count()
    assert first.select("student_key", "subject_id", "primary_score", "mark").rows()[:500] == list(
        stored.values_list("student_key", "subject_id", "primary_score", "mark")[:500]
    )
    assert {k: v for k, v in again.items() if k != "rows"} == {
        k: v for k, v in truth.items() if k != "rows"
    }


def test_truth_file_lists_the_planted_schools(
    demo: DemoContext, truth: dict, tmp_path: Path
) -> None:
    path = truth_path()
    assert path == demo.extra["results_truth_path"] and path.name == "demo-truth.json"
    # Other test processes may have rewritten the shared file since: check its shape here and
    # the exact content through a private copy.
    assert set(json.loads(path.read_text(encoding="utf-8"))) == set(truth)
    copy = write_truth(truth, tmp_path / "demo-truth.json")
    assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(json.dumps(truth))
    sizes = {case: len(truth[case]) for case in CASES}
    assert sizes == {
        "low_results": 8,
        "inflated_vpr": 6,
        "resilient": 5,
        "declining": 5,
        "unconfirmed_medalists": 4,
    }
    known = set(School.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for case in CASES:
        schools = set(planted(truth, case))
        assert schools <= known and not schools & seen
        seen |= schools


def test_planted_low_schools_and_only_they_are_in_the_low_zone(
    truth: dict, groups: pl.DataFrame, codes: dict[int, str]
) -> None:
    low = planted(truth, "low_results")
    hits = (
        groups.filter(
            pl.col("procedure_id").is_in(["vpr", "oge", "ege_base"])
            & (pl.col("n") >= 10)
            & (pl.col("fail_share") >= 0.30)
        )
        .with_columns(code=pl.col("school_id").replace_strict(codes))
        .group_by("code", "year")
        .agg(
            hits=pl.len(),
            subjects=pl.col("subject_id").unique(),
            far=(pl.col("fail_share") >= 2.5 * pl.col("region_fail")).all(),
        )
    )
    assert set(hits["code"]) == set(low)
    for code in low:
        mine = hits.filter((pl.col("code") == code) & pl.col("year").is_in([2023, 2024, 2025]))
        assert mine.height == 3
        assert mine["far"].all()
        assert all({"rus", "math"} <= set(s) for s in mine["subjects"])
        assert mine["hits"].min() >= 2


def test_inflated_schools_show_vpr_above_journal_and_oge(
    truth: dict, codes: dict[int, str], groups: pl.DataFrame
) -> None:
    inflated = planted(truth, "inflated_vpr")
    rows = (
        StudentResult.objects.filter(procedure_id="vpr", grade__in=[4, 5])
        .values("school_id", "year")
        .annotate(
            n=Count("id"),
            up=Count("id", filter=Q(mark__gt=F("journal_mark_year"))),
            mark=Avg("mark"),
            journal=Avg("journal_mark_year"),
        )
    )
    frame = pl.DataFrame(list(rows)).with_columns(
        code=pl.col("school_id").replace_strict(codes), up_share=pl.col("up") / pl.col("n")
    )
    frame = frame.with_columns(
        planted=pl.struct("code", "year").map_elements(
            lambda r: r["year"] in inflated.get(r["code"], {}).get("years", []),
            return_dtype=pl.Boolean,
        )
    )
    flagged = frame.filter(pl.col("planted"))
    assert flagged.height >= 2 * len(inflated)
    assert flagged["up_share"].min() >= 0.30
    assert (flagged["mark"] - flagged["journal"]).min() >= 0.4
    others = frame.filter(~pl.col("planted") & (pl.col("n") >= 20))
    assert others["up_share"].max() < 0.25
    z = (
        composite(groups.filter(pl.col("procedure_id") == "vpr"))
        .rename({"Z": "vpr"})
        .join(
            composite(groups.filter(pl.col("procedure_id") == "oge")).rename({"Z": "oge"}),
            on=["school_id", "year"],
        )
    )
    z = z.with_columns(code=pl.col("school_id").replace_strict(codes))
    for code, entry in inflated.items():
        mine = z.filter((pl.col("code") == code) & pl.col("year").is_in(entry["years"]))
        # ВПР far above the region every inflated year, ОГЭ of the same years below it.
        assert (mine["vpr"] >= 1.0).all() and mine["oge"].mean() < 0.0


def test_inflated_vpr_piles_up_just_above_the_three_boundary(truth: dict) -> None:
    for entry in truth["inflated_vpr"]:
        year, piled, total = entry["years"][-1], 0, 0
        for subject, grade in (("rus", 4), ("math", 4), ("rus", 5), ("math", 5)):
            cut = VPR_SCALES[(subject, grade)][1][0]
            scores = list(
                StudentResult.objects.filter(
                    school__code=entry["school"],
                    year=year,
                    procedure_id="vpr",
                    subject_id=subject,
                    grade=grade,
                ).values_list("primary_score", flat=True)
            )
            assert len(scores) >= 20
            at = sum(cut <= s <= cut + 1 for s in scores)
            assert at > 0 and min(scores) >= cut  # no «2», nothing just below the cut
            piled, total = piled + at, total + len(scores)
        assert piled / total >= 0.08


def test_resilient_schools_beat_their_context(
    demo: DemoContext, truth: dict, groups: pl.DataFrame, codes: dict[int, str]
) -> None:
    resilient = planted(truth, "resilient")
    deprivation = {code: profile.deprivation for code, profile in demo.profiles.items()}
    z = (
        composite(groups)
        .group_by("school_id")
        .agg(pl.col("Z").mean())
        .with_columns(code=pl.col("school_id").replace_strict(codes))
        .with_columns(d=pl.col("code").replace_strict(deprivation, return_dtype=pl.Float64))
    )
    special = {
        c for value in truth.values() if isinstance(value, list) for c in planted_codes(value)
    }
    fit = z.filter(~pl.col("code").is_in(list(special)))
    slope = fit.select(pl.cov("d", "Z") / pl.col("d").var()).item()
    intercept = fit["Z"].mean() - slope * fit["d"].mean()
    z = z.with_columns(resid=pl.col("Z") - intercept - slope * pl.col("d"))
    mine = z.filter(pl.col("code").is_in(list(resilient))).with_columns(
        effect=pl.col("code").replace_strict(
            {c: e["effect"] for c, e in resilient.items()}, return_dtype=pl.Float64
        )
    )
    assert mine.height == len(resilient)
    assert (mine["resid"] > 0.3).all()
    rho = mine.select(pl.corr("resid", "effect", method="spearman")).item()
    assert rho >= 0.7


def planted_codes(entries: list[Any]) -> set[str]:
    return {e["school"] for e in entries if isinstance(e, dict) and "school" in e}


def test_declining_schools_fall_two_years_running(
    truth: dict, groups: pl.DataFrame, codes: dict[int, str]
) -> None:
    z = composite(groups).with_columns(code=pl.col("school_id").replace_strict(codes))
    for code in planted(truth, "declining"):
        by_year = dict(z.filter(pl.col("code") == code).select("year", "Z").rows())
        assert by_year[2024] - by_year[2023] <= -0.3
        assert by_year[2025] - by_year[2024] <= -0.3


def test_unconfirmed_medalists_are_gold_without_the_scores(truth: dict) -> None:
    for school in truth["unconfirmed_medalists"]:
        for year in school["years"]:
            assert year["unconfirmed"] >= 1 and year["gold"] >= 2
            for student in year["students"]:
                rows = StudentResult.objects.filter(
                    student_key=student["key"], year=year["year"], procedure_id="ege"
                )
                scores = dict(rows.values_list("subject_id", "test_score"))
                assert scores["rus"] == student["rus"]
                others = [v for k, v in scores.items() if k != "rus"]
                assert min(scores["rus"], max(others, default=0)) < 70
                assert set(rows.values_list("journal_mark_year", flat=True)) == {5}


def test_medals_and_observed_vpr_are_stored(truth: dict) -> None:
    for school in truth["unconfirmed_medalists"]:
        for year in school["years"]:
            golds = StudentResult.objects.filter(
                school__code=school["school"], year=year["year"], medal="gold"
            )
            medalists = set(golds.values_list("student_key", flat=True))
            assert len(medalists) == year["gold"]
            assert {student["key"] for student in year["students"]} <= medalists
    medals = StudentResult.objects.exclude(medal="")
    assert set(medals.values_list("procedure_id", flat=True).distinct()) <= {"ege", "ege_base"}
    assert set(medals.values_list("medal", flat=True).distinct()) == {"gold", "silver"}
    assert (
        not StudentResult.objects.exclude(procedure_id="vpr")
        .filter(controlled__isnull=False)
        .exists()
    )
    vpr = StudentResult.objects.filter(procedure_id="vpr")
    assert not vpr.filter(controlled__isnull=True).exists()
    observed = vpr.filter(controlled=True).values("school_id", "year").distinct().count()
    total = vpr.values("school_id", "year").distinct().count()
    assert 0.2 <= observed / total <= 0.4
    for school in truth["inflated_vpr"]:
        assert not vpr.filter(
            school__code=school["school"], year__in=school["years"], controlled=True
        ).exists()
