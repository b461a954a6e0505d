"""Benchmark of the analytics core at national scale (issue 4, «Measured»).

`run()` generates once and caches the national dataset (`bench.national_data`, about 40,000
schools × 3 years × 20 million student rows a year under `var/bench/national/`), then measures,
each in its own subprocess (`os.wait4` gives that process's peak RSS):

    bench: analysis.national = S s          `run_analysis` (`default`, latest year, every rule
                                            including the comparisons with similar schools and
                                            the region) on the whole country, student rows read
                                            by streaming scans of the Parquet files
    bench: analysis.national_peak = X GB    peak RSS of that process (GB = 10^9 bytes)
    bench: analysis.region = S s            the same on region 1 (1,500 schools, its rows in
                                            memory), median of 3 runs after a warm-up run
    bench: analysis.region_with_peers = S s region 1 with the similar-schools comparisons
    bench: analysis.registry_match = yes|no the ШНОР list of every year equals the pandas one
    bench: analysis.vs_pandas = X x         pandas time / Polars time for the same rules
                                            (each run three times, alternating; medians)

The comparable part (`bench.baseline_pandas` docstring): reading the student rows, procedure
groups, the result indicators at school level, ШНОР for every year, ИСБШ/ССУ. The Polars side
runs `group_results`, `compute_indicators` (results only), `identify_shnor_years` (which also
builds the evidence tables and, as the pipeline does, the Russian reasons of the analysis
year, which pandas does not) and `social_index` (with reasons); its outputs are sorted, the
pandas ones are not. Both from the Parquet files to the frames, interpreter start-up excluded.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

from bench import national_data

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "bench-analysis-result: "
REGION = 1


def _child(args: list[str]) -> tuple[dict[str, Any], float]:
    """Run `python -m <args>` and return its result line and its peak RSS in GB."""
    proc = subprocess.Popen(
        [sys.executable, "-m", *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{out}")
    result = None
    for line in out.splitlines():
        if line.startswith(PREFIX):
            result = json.loads(line[len(PREFIX) :])
        elif line.startswith("{"):
            result = json.loads(line)
        else:
            print(line, flush=True)
    if result is None:
        raise RuntimeError(f"{' '.join(args)} printed no result:\n{out}")
    return result, usage.ru_maxrss * 1024 / 1e9


def _uptime() -> str:
    return os.popen("uptime").read().strip()


def run() -> None:
    started = time.perf_counter()
    national_data.ensure(log=lambda text: print(text, flush=True))
    manifest = json.loads((national_data.CACHE / "manifest.json").read_text())
    print(f"# data ready in {time.perf_counter() - started:.1f} s: {manifest['rows']} rows")
    print(f"# machine load before: {_uptime()}", flush=True)
    national, peak = _child(["bench.analysis", "--worker", "national"])
    region, _ = _child(["bench.analysis", "--worker", "region"])
    # The comparable part three times each, alternating, so that a change of the machine's
    # load between the two sides weighs less; the medians are compared (of two runs the median
    # is their mean: one run slowed by another process would set the figure).
    rounds = []
    for _ in range(3):
        rounds.append(
            (_child(["bench.analysis", "--worker", "registry"]), _child(["bench.baseline_pandas"]))
        )
    (polars_part, _), (pandas_part, _) = rounds[-1]
    polars_seconds = statistics.median(r[0][0]["seconds"] for r in rounds)
    pandas_seconds = statistics.median(r[1][0]["seconds"] for r in rounds)
    print(f"# machine load after: {_uptime()}")
    registry = {int(k): v for k, v in polars_part["registry"].items()}
    baseline = {int(k): v for k, v in pandas_part["registry"].items()}
    match = registry == baseline and national["registry"] == registry[max(registry)]
    for year in sorted(registry):
        print(
            f"# ШНОР {year}: Polars {len(registry[year])}, pandas {len(baseline.get(year, []))}"
            f" of {manifest['schools']} schools"
        )
    print(f"# national run: {national['flagged']} in the list, {national['warnings']} warnings")
    runs = ", ".join(f"{t:.2f}" for t in region["runs"])
    print(f"# region {REGION}: {region['rows']:,} student rows, runs {runs} s")
    for label, index in (("Polars", 0), ("pandas", 1)):
        times = ", ".join(f"{r[index][0]['seconds']:.1f}" for r in rounds)
        peaks = ", ".join(f"{r[index][1]:.1f}" for r in rounds)
        print(f"# comparable part, {label}: {times} s (peak {peaks} GB)")
    print(f"# {_compare_values()}")
    print(f"bench: analysis.national = {national['seconds']:.1f} s")
    print(f"bench: analysis.national_peak = {peak:.2f} GB")
    print(f"bench: analysis.region = {region['seconds']:.2f} s")
    print(f"bench: analysis.region_with_peers = {region['with_peers']:.2f} s")
    print(f"bench: analysis.registry_match = {'yes' if match else 'no'}")
    print(f"bench: analysis.vs_pandas = {pandas_seconds / polars_seconds:.1f} x")


def _compare_values() -> str:
    """ИСБШ of both sides (written by the workers), largest absolute difference."""
    polars_isb = pl.read_parquet(national_data.CACHE / "polars_isb.parquet")
    pandas_isb = pl.read_parquet(national_data.CACHE / "pandas_values.parquet")
    both = polars_isb.join(pandas_isb, on=["school_id", "year"], suffix="_pd")
    diff = both.select((pl.col("isb") - pl.col("isb_pd")).abs().max()).item()
    ssu = both.filter(pl.col("is_ssu") != pl.col("is_ssu_pd")).height
    ours = pl.read_parquet(national_data.CACHE / "polars_indicators.parquet").rename(
        {"unit_id": "school_id"}
    )
    theirs = pl.read_parquet(national_data.CACHE / "pandas_indicators.parquet")
    key = ["code", "school_id", "year", "subject"]
    values = ours.join(theirs.select(*key, value_pd="value"), on=key, how="full", coalesce=True)
    nulls = values.filter(pl.col("value").is_null() != pl.col("value_pd").is_null()).height
    gap = values.select((pl.col("value") - pl.col("value_pd")).abs().max()).item()
    return (
        f"ИСБШ: largest difference Polars − pandas {diff:.2e}, ССУ differs for {ssu} school-years;"
        f" indicators: {values.height} values, largest difference {gap:.2e}, {nulls} null in one"
    )


# ---------------------------------------------------------------- workers (subprocesses)


def _national() -> dict[str, Any]:
    from opora.analytics.methodology import load_preset
    from opora.analytics.pipeline import run_analysis

    started = time.perf_counter()
    result = run_analysis(national_data.load().frames(), load_preset("default"), with_peers=True)
    seconds = time.perf_counter() - started
    flagged = sorted(result.shnor.filter("is_shnor")["school_id"].to_list())
    return {
        "seconds": seconds,
        "flagged": len(flagged),
        "registry": flagged,
        "warnings": len(result.warnings),
    }


def _region() -> dict[str, Any]:
    from opora.analytics.methodology import load_preset
    from opora.analytics.pipeline import run_analysis

    region = national_data.load().region(REGION)
    rows = region.student_results.collect()
    frames = {
        **region.frames(),
        "student_results": rows,
        "task_scores": region.task_scores.collect(),
    }
    m = load_preset("default")
    run_analysis(frames, m, with_peers=False)  # warm-up: imports, first Polars calls
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        run_analysis(frames, m, with_peers=False)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    run_analysis(frames, m)
    return {
        "seconds": statistics.median(timings),
        "runs": timings,
        "with_peers": time.perf_counter() - started,
        "rows": rows.height,
    }


def _registry() -> dict[str, Any]:
    from opora.analytics.indicators import compute_indicators
    from opora.analytics.methodology import load_preset
    from opora.analytics.results import group_results
    from opora.analytics.shnor import identify_shnor_years
    from opora.analytics.social_index import social_index

    m = load_preset("default")
    started = time.perf_counter()
    data = national_data.load()
    groups = group_results(m, data.student_results, None, data.reference)
    values = compute_indicators(m, data.schools, groups, None, level="school")
    years = sorted(set(groups["year"].to_list()))
    # As the pipeline: the list of every year, the reasons of the analysis year.
    runs = identify_shnor_years(groups, data.schools, m, years, reasons_for=[years[-1]])
    isb = social_index(data.context, data.schools, m)
    seconds = time.perf_counter() - started
    isb.select("school_id", "year", "isb", "isb_percentile", "is_ssu").write_parquet(
        national_data.CACHE / "polars_isb.parquet"
    )
    values.write_parquet(national_data.CACHE / "polars_indicators.parquet")
    registry = {
        year: sorted(r.schools.filter("is_shnor")["school_id"].to_list())
        for year, r in runs.items()
    }
    return {"seconds": seconds, "registry": registry}


WORKERS = {"national": _national, "region": _region, "registry": _registry}

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        print(PREFIX + json.dumps(WORKERS[sys.argv[2]]()), flush=True)
    else:
        run()
