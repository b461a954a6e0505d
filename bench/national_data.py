"""A national-scale synthetic dataset for the analytics benchmark (issue 4, «Measured»).

About 40,000 schools in 85 regions (region 1 has exactly 1,500 schools, the region benchmark),
with municipalities, yearly context (social shares, staff, equipment) and three years of student
results — ВПР grades 4–8 (Russian, mathematics and one other subject per grade), ОГЭ (Russian,
mathematics, two electives), ЕГЭ (Russian, profile or base mathematics, electives; medalists) with
journal marks — about 20 million student rows a year, and the ВПР task scores of the works M2
reads (`national_tasks`, files `tasks_<year>.parquet`). Generated directly as Polars frames of the
analytics schemas (`opora.analytics.schemas`), vectorised with numpy, never through Django.

Structure, so that the rules flag a realistic share of schools: a student's ability θ = the
school's level that year (0,3·social status + region and school effects, a trend) + a subject
offset + N(0, 1); scores follow a logistic curve per test (the lowest «3» at θ = −1,5 for ВПР);
3 % of schools are planted low (−0,9), 2,5 % inflate ВПР (boosted marks piled just above the «3»
cut, journal marks honest, medals not confirmed by ЕГЭ), 2 % decline by 0,25 a year.

Cached as Parquet under `var/bench/national/` (one results file per year, rows sorted by
procedure, subject, grade and school so that row-group statistics let scans skip); `ensure()`
regenerates only when `manifest.json` differs from `SPEC`. Run `python -m bench.national_data`
to (re)generate and print the sizes.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import polars as pl

from bench.national_exams import results_frame
from bench.national_schools import SPEC, YEARS, context_frame, reference_frame, schools_frame

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench" / "national"
__all__ = ["CACHE", "SPEC", "YEARS", "NationalFrames", "ensure", "load", "results_paths"]


def results_paths(root: Path = CACHE) -> list[Path]:
    return [root / f"results_{year}.parquet" for year in YEARS]


def task_paths(root: Path = CACHE) -> list[Path]:
    return [root / f"tasks_{year}.parquet" for year in YEARS]


def ensure(root: Path = CACHE, log=print) -> Path:
    """Generate the dataset under `root` unless a complete one of the same `SPEC` is there."""
    manifest = root / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()).get("spec") == SPEC:
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.perf_counter()
    rng = np.random.default_rng(int(SPEC["seed"]))  # type: ignore[call-overload]
    schools, hidden = schools_frame(rng)
    schools.write_parquet(root / "schools.parquet")
    context_frame(hidden, rng).write_parquet(root / "context.parquet")
    reference_frame().write_parquet(root / "reference.parquet")
    rows, person = {}, 1
    for k, (year, path) in enumerate(zip(YEARS, results_paths(root), strict=True)):
        frame, tasks, person = results_frame(hidden, year, k, rng, person)
        frame.write_parquet(path, row_group_size=512 * 1024, statistics=True)
        tasks.write_parquet(root / f"tasks_{year}.parquet", row_group_size=256 * 1024)
        rows[year] = frame.height
        log(f"# national data: {year}: {frame.height:,} student rows, {tasks.height:,} with tasks")
        del frame, tasks
    truth = pl.DataFrame(
        {
            "school_id": np.arange(1, hidden["ses"].size + 1),
            "low": hidden["low"],
            "inflated": hidden["inflated"],
            "declining": hidden["declining"],
        }
    )
    truth.write_parquet(root / "truth.parquet")
    manifest.write_text(
        json.dumps(
            {
                "spec": SPEC,
                "schools": schools.height,
                "rows": rows,
                "seconds": round(time.perf_counter() - started, 1),
            },
            indent=1,
        )
    )
    log(f"# national data generated in {time.perf_counter() - started:.1f} s under {root}")
    return root


@dataclass(frozen=True)
class NationalFrames:
    """The cached dataset as the frames of `run_analysis` (student rows as a lazy scan)."""

    schools: pl.DataFrame
    context: pl.DataFrame
    reference: pl.DataFrame
    student_results: pl.LazyFrame
    task_scores: pl.LazyFrame

    def frames(self) -> dict[str, pl.DataFrame | pl.LazyFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def region(self, region_id: int) -> NationalFrames:
        """One region's schools and rows (still lazy: collect the rows to hold them)."""
        ids = self.schools.filter(pl.col("region_id") == region_id)["school_id"].implode()
        return NationalFrames(
            self.schools.filter(pl.col("school_id").is_in(ids)),
            self.context.filter(pl.col("school_id").is_in(ids)),
            self.reference,
            self.student_results.filter(pl.col("school_id").is_in(ids)),
            self.task_scores.filter(pl.col("school_id").is_in(ids)),
        )


def load(root: Path = CACHE) -> NationalFrames:
    """Schools, context, reference read into memory; the student rows a scan of the year files."""
    return NationalFrames(
        pl.read_parquet(root / "schools.parquet"),
        pl.read_parquet(root / "context.parquet"),
        pl.read_parquet(root / "reference.parquet"),
        pl.scan_parquet(results_paths(root)),
        pl.scan_parquet(task_paths(root)),
    )


if __name__ == "__main__":
    if "--force" in sys.argv and CACHE.exists():
        shutil.rmtree(CACHE)
    ensure()
    print((CACHE / "manifest.json").read_text())
