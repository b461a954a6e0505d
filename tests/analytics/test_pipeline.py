"""`run_analysis` end to end on a small generated region: every frame, determinism, scope."""

import random

import polars as pl
import pytest

from opora.analytics.methodology import load_preset
from opora.analytics.pipeline import STEPS, AnalysisResult, run_analysis

M = load_preset().with_overrides({"context_model.min_schools": 5, "similar.min_peers": 3})
YEARS = (2022, 2023, 2024)


def _region(region: int, first: int, n: int, seed: int) -> dict[str, list[dict]]:
    """`n` schools; school `first` is planted low: 40 % «2» and the lowest scores every year."""
    rnd = random.Random(seed)
    schools, context, students = [], [], []
    for s in range(first, first + n):
        low = s == first
        schools.append(
            {
                "school_id": s,
                "municipality_id": region * 10 + s % 2,
                "region_id": region,
                "is_urban": s % 3 != 0,
                "school_type": "sosh",
            }
        )
        effect = -6.0 if low else rnd.uniform(-2, 2)
        for year in YEARS:
            context.append(
                {
                    "school_id": s,
                    "year": year,
                    "students_total": 100 + 10 * (s - first),
                    "parents_higher_ed_share": 20.0 + rnd.uniform(0, 40),
                    "single_parent_share": rnd.uniform(5, 40),
                    "unemployed_parents_share": rnd.uniform(0, 30),
                    "low_income_share": rnd.uniform(0, 30),
                    "large_families_share": rnd.uniform(0, 30),
                    "rkn_share": rnd.uniform(0, 15),
                    "ovz_share": rnd.uniform(0, 15),
                }
            )
            for subject, grade in (("math", 4), ("rus", 4), ("math", 5), ("rus", 5)):
                for i in range(20):
                    score = max(0, min(20, round(12 + effect + rnd.gauss(0, 3))))
                    mark = (
                        2
                        if (low and i < 8)
                        else 2
                        if score < 6
                        else 3
                        if score < 10
                        else 4
                        if score < 15
                        else 5
                    )
                    students.append(
                        {
                            "school_id": s,
                            "year": year,
                            "procedure": "vpr",
                            "subject": subject,
                            "grade": grade,
                            "period": "main",
                            "mark": mark,
                            "primary_score": score,
                            "journal_term": min(5, mark + (1 if i % 4 == 0 else 0)),
                        }
                    )
    return {"schools": schools, "context": context, "student_results": students}


def _frames(*regions) -> dict[str, pl.DataFrame]:
    merged: dict[str, list[dict]] = {}
    for r in regions:
        for key, rows in r.items():
            merged.setdefault(key, []).extend(rows)
    return {key: pl.DataFrame(rows) for key, rows in merged.items()}


@pytest.fixture(scope="module")
def region() -> dict[str, pl.DataFrame]:
    return _frames(_region(1, 1, 12, seed=7))


@pytest.fixture(scope="module")
def result(region) -> AnalysisResult:
    return run_analysis(region, M)


def test_every_rule_runs_and_the_planted_school_is_found(result):
    assert result.year == 2024
    assert set(result.frames()) == {
        "indicators",
        "shnor",
        "shnor_table",
        "social_index",
        "risks",
        "risk_items",
        "objectivity",
        "objectivity_signals",
        "clusters",
        "context",
        "context_fits",
        "decline",
        "partners",
        "peers",
    }
    assert result.shnor.filter("is_shnor")["school_id"].to_list() == [1]
    assert set(result.shnor["data_reliability"]) <= {"ok", "suspect"}
    suspect = set(result.shnor.filter(pl.col("data_reliability") == "suspect")["school_id"])
    assert suspect == set(
        result.objectivity.filter((pl.col("year") == 2024) & pl.col("has_signs"))["school_id"]
    )
    # The planted school is in the НОР cluster, has partners and a context row with a fit.
    assert "НОР" in result.clusters.filter(pl.col("school_id") == 1)["clusters"][0].to_list()
    assert result.partners.filter(pl.col("target_id") == 1).height >= 1
    fit = result.context_fits.filter(pl.col("year") == 2024).row(0, named=True)
    assert fit["n"] == 12 and 0 <= fit["r2"] <= 1
    assert result.peers.filter(pl.col("school_id") == 1).height > 0


def test_shuffled_input_rows_give_identical_output(region, result):
    shuffled = {k: v.sample(fraction=1.0, shuffle=True, seed=3) for k, v in region.items()}
    again = run_analysis(shuffled, M)
    for name, frame in result.frames().items():
        assert again.frames()[name].equals(frame), name


def test_another_region_does_not_change_this_one(region, result):
    both = run_analysis(_frames(_region(1, 1, 12, seed=7), _region(2, 101, 8, seed=9)), M)
    keys = {"partners": "target_id", "indicators": "unit_id"}
    for name in (
        "shnor",
        "shnor_table",
        "social_index",
        "risks",
        "risk_items",
        "clusters",
        "context",
        "decline",
        "objectivity",
        "objectivity_signals",
        "partners",
        "peers",
        "indicators",
    ):
        own = both.frames()[name]
        key = keys.get(name, "school_id")
        assert own.filter(pl.col(key) < 100).equals(result.frames()[name]), name


def test_student_rows_may_be_a_lazy_scan(region, result, tmp_path):
    # A national run reads the student rows from Parquet in streaming passes.
    path = tmp_path / "results.parquet"
    region["student_results"].write_parquet(path)
    lazy = run_analysis({**region, "student_results": pl.scan_parquet(path)}, M)
    for name, frame in result.frames().items():
        assert lazy.frames()[name].equals(frame), name


def test_progress_reports_every_step_in_either_form(region):
    named: list[str] = []
    numbered: list[tuple[int, str]] = []
    run_analysis(region, M, progress=named.append, with_peers=False)
    run_analysis(region, M, progress=lambda i, name: numbered.append((i, name)), with_peers=False)
    assert named == STEPS
    assert numbered == list(enumerate(STEPS))


def test_peers_can_be_left_to_the_page(region, result):
    light = run_analysis(region, M, with_peers=False)
    assert light.peers.is_empty() and light.peers.columns == result.peers.columns
    assert light.shnor.equals(result.shnor) and light.partners.equals(result.partners)
