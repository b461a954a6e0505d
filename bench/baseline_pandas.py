"""A plain pandas implementation of the rules behind the ШНОР registry, for `bench.analysis`.

Straightforward pandas (groupby, transform, merge; no Python loop over schools), written from
METHODOLOGY.md and the `default` methodology, independently of the Polars core:

* procedure groups (METHODOLOGY §1): n, share of «2» (ЕГЭ: below the year's minimum), mean
  score and within-group variance per school × year × procedure × subject × grade;
* the result indicators of the library at school level (share of «2», of «4»–«5», mean mark
  for ВПР and ОГЭ; ЕГЭ mean score, share below the minimum, share of high scores);
* ШНОР (§2): R1 (≥ 30 % «2» in ≥ 2 procedures in the year and in one procedure two years
  running), R2 (N-weighted composite z, empirical-Bayes shrinkage, Hazen percentile ≤ 10 % in
  ≥ 2 of 3 years), decision R1 or R2, for every year;
* ИСБШ and ССУ (§6): equal-weight index of the social shares, T-score, percentile, context
  flags.

`python -m bench.baseline_pandas` reads the cached national data (`bench.national_data`),
times everything from reading the Parquet files to the registry, and prints one JSON line:
seconds, the registry (school ids per year), the ИСБШ and indicator values for comparison.
Not implemented here (so not compared): reasons, evidence tables, and every other rule.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd

from bench import national_data
from opora.analytics.methodology import load_preset

KEY = ["school_id", "year", "procedure", "subject", "grade"]
P = ["procedure", "subject", "grade"]
COLUMNS = [*KEY, "period", "mark", "primary_score", "test_score"]


def procedure_groups(results: pd.DataFrame, reference: pd.DataFrame, periods) -> pd.DataFrame:
    """One row per procedure group of one year's student rows."""
    df = results[results["period"].isin(periods)].drop(columns="period")
    df = df.merge(reference, on=["year", "procedure", "subject"], how="left")
    fail = pd.Series(np.nan, index=df.index)
    tested = df["test_score"].notna() & df["min_score"].notna()
    fail[tested] = (df.loc[tested, "test_score"] < df.loc[tested, "min_score"]).astype(float)
    marked = df["mark"].notna()
    fail[marked] = (df.loc[marked, "mark"] == 2).astype(float)
    high = pd.Series(np.nan, index=df.index)
    has_high = df["test_score"].notna() & df["high_score"].notna()
    high[has_high] = (df.loc[has_high, "test_score"] >= df.loc[has_high, "high_score"]).astype(
        float
    )
    score = df["test_score"].fillna(df["primary_score"])
    df = df.assign(
        fail=fail,
        high=high,
        score=score,
        score_sq=score * score,
        good=(df["mark"] >= 4).astype(float).where(marked),
        top=(df["mark"] == 5).astype(float).where(marked),
    )
    g = df.groupby(KEY, sort=False).agg(
        n=("school_id", "size"),
        n_fail=("fail", "sum"),
        n_fail_known=("fail", "count"),
        n_good=("good", "sum"),
        n_marked=("mark", "count"),
        sum_mark=("mark", "sum"),
        n_scored=("score", "count"),
        sum_score=("score", "sum"),
        sum_sq=("score_sq", "sum"),
        n_high=("high", "sum"),
        n_high_known=("high", "count"),
    )
    g = g.reset_index()
    g.loc[g["n_fail_known"] == 0, "n_fail"] = np.nan
    g.loc[g["n_high_known"] == 0, "n_high"] = np.nan
    g["fail_share"] = (g["n_fail"] / g["n_fail_known"]).where(g["n_fail_known"] > 0)
    g["mean_score"] = (g["sum_score"] / g["n_scored"]).where(g["n_scored"] > 0)
    var = (g["sum_sq"] - g["sum_score"] ** 2 / g["n_scored"]) / (g["n_scored"] - 1)
    g["score_var"] = var.where(g["n_scored"] > 1)
    return g


INDICATORS = {  # code: (procedure, numerator, denominator, scale)
    "vpr_fail_share": ("vpr", "n_fail", "n_fail_known", 100),
    "vpr_good_share": ("vpr", "n_good", "n_marked", 100),
    "vpr_mean_mark": ("vpr", "sum_mark", "n_marked", 1),
    "oge_fail_share": ("oge", "n_fail", "n_fail_known", 100),
    "oge_good_share": ("oge", "n_good", "n_marked", 100),
    "oge_mean_mark": ("oge", "sum_mark", "n_marked", 1),
    "ege_mean_score": ("ege", "sum_score", "n_scored", 1),
    "ege_below_min_share": ("ege", "n_fail", "n_fail_known", 100),
    "ege_high_share": ("ege", "n_high", "n_scored", 100),
}


def indicators(groups: pd.DataFrame, n_min: int) -> pd.DataFrame:
    """School-level values of the result indicators (null below n_min or without data)."""
    parts = []
    for code, (procedure, num, den, scale) in INDICATORS.items():
        g = groups[groups["procedure"] == procedure]
        sums = (
            g.assign(num=g[num].where(g[den] > 0), den=g[den].where(g[num].notna()))
            .groupby(["school_id", "year", "subject"], as_index=False)[["num", "den"]]
            .sum()
        )
        ok = (sums["den"] > 0) & (sums["den"] >= n_min)
        sums["value"] = (sums["num"] / sums["den"] * scale).where(ok)
        parts.append(sums.assign(code=code))
    return pd.concat(parts, ignore_index=True)


def hazen(values: pd.Series, by: list[pd.Series]) -> pd.Series:
    """Percentile rank (average rank − 0.5) / n within groups; NaN stays NaN."""
    grouped = values.groupby(by)
    return (grouped.rank(method="average") - 0.5) / grouped.transform("count")


def composite(g: pd.DataFrame, years: list[int], shrink: bool) -> pd.DataFrame:
    """Z, λ, Zshr and the percentile per school × year (METHODOLOGY §1–2)."""
    d = g[g["year"].isin(years) & g["eligible"] & g["mean_score"].notna()].copy()
    by = [d["region_id"], d["year"], d["procedure"], d["subject"], d["grade"]]
    sd = d["mean_score"].groupby(by).transform("std")
    d["z"] = ((d["mean_score"] - d["mean_score"].groupby(by).transform("mean")) / sd).where(sd > 0)
    d["sd_p"] = sd
    d = d[d["z"].notna()].copy()
    by = [d["region_id"], d["year"], d["procedure"], d["subject"], d["grade"]]
    d["var_num"] = ((d["n"] - 1) * d["score_var"]).groupby(by).transform("sum")
    d["var_den"] = (d["n"] - 1).where(d["score_var"].notna()).groupby(by).transform("sum")
    pooled = (d["var_num"] / d["var_den"]).where(d["var_den"] > 0)
    d["sigma2_e"] = pooled / d["sd_p"] ** 2
    d["wz"], d["nsig"] = d["n"] * d["z"], d["n"] * d["sigma2_e"]
    s = d.groupby(["school_id", "region_id", "year"], as_index=False).agg(
        wz=("wz", "sum"),
        n_total=("n", "sum"),
        nsig=("nsig", "sum"),
        known=("sigma2_e", "count"),
        groups=("z", "size"),
    )
    s["Z"] = s["wz"] / s["n_total"]
    s["noise"] = s["nsig"] / s["n_total"] / s["n_total"]
    by = [s["region_id"], s["year"]]
    s["tau2"] = s["Z"].groupby(by).transform("var") - s["noise"].groupby(by).transform("mean")
    all_known = (s["known"] == s["groups"]).groupby(by).transform("all")
    usable = all_known & (s["tau2"] > 0)
    lam = (s["tau2"] / (s["tau2"] + s["noise"])).where(usable & shrink, 1.0)
    s["Zshr"] = lam * s["Z"]
    s["pct"] = hazen(s["Zshr"], by)
    return s


def shnor(g: pd.DataFrame, year: int, p: dict) -> set[int]:
    """School ids in the ШНОР list of `year`."""
    r1p, r2p = p["r1"], p["r2"]
    span = list(range(year - r1p["persistence_years"] + 1, year + 1))
    hits = g[g["year"].isin(span) & g["eligible"] & (g["fail_share"] >= r1p["t_fail"])]
    per_p = hits.groupby(["school_id", *P])["year"].nunique()
    persistent = per_p[per_p == len(span)].groupby(level="school_id").size()
    count = hits[hits["year"] == year].groupby("school_id").size()
    r1a = count >= r1p["k_proc"]
    r1b = persistent > 0
    both = r1a.index.union(r1b.index)
    r1a, r1b = r1a.reindex(both, fill_value=False), r1b.reindex(both, fill_value=False)
    r1 = (r1a & r1b) if r1p["mode"] == "strict" else (r1a | r1b)
    window = list(range(year - r2p["years_window"] + 1, year + 1))
    z = composite(g, window, bool(r2p["shrinkage"]))
    lows = z[z["pct"] <= r2p["q_low"]].groupby("school_id").size()
    r2 = lows >= r2p["min_years_low"]
    scope = g[g["year"].isin(window) | (g["year"] >= span[0])]
    evaluated = (scope["eligible"] & (scope["year"] <= year)).groupby(scope["school_id"]).any()
    flagged = set(r1[r1].index) | set(r2[r2].index)
    return {int(s) for s in flagged if evaluated.get(s, False)}


def social_index(context: pd.DataFrame, schools: pd.DataFrame, p: dict) -> pd.DataFrame:
    """ИСБШ (T-score), its percentile, context flags and ССУ per school × year (§6)."""
    names = {
        "HE2": "parents_higher_ed_share",
        "SP": "single_parent_share",
        "UNEMP": "unemployed_parents_share",
        "LOWINC": "low_income_share",
        "MANY": "large_families_share",
        "NNR": "rkn_share",
        "REG": "registered_share",
        "OVZ": "ovz_share",
    }
    c = context.merge(schools[["school_id", "region_id", "is_urban"]], on="school_id")
    variables, flags = list(p["variables"]), dict(p["flags"])
    for v in set(variables) | set(flags):
        c[v] = c[names[v]] / 100
    by = [c["region_id"], c["year"]]
    collected = {v: c[v].notna().groupby(by).transform("any") for v in variables}
    n_collected = sum(collected[v].astype(int) for v in variables)
    n_present = sum((c[v].notna() & collected[v]).astype(int) for v in variables)
    c["coverage"] = (n_present / n_collected).where(n_collected > 0)
    has_index = c["coverage"] >= p["min_coverage"]
    terms = []
    for v in variables:
        median = c[v].where(has_index).groupby(by).transform("median")
        sd = c[v].groupby(by).transform("std")
        z = ((c[v].fillna(median) - c[v].groupby(by).transform("mean")) / sd).where(sd > 0)
        terms.append(((1 if v == "HE2" else -1) * z).where(collected[v]))
    t = pd.concat(terms, axis=1)
    raw = (t.fillna(0).sum(axis=1) / t.notna().sum(axis=1)).where(has_index)
    c["isb"] = p["scale"]["mean"] + p["scale"]["sd"] * raw / raw.groupby(by).transform("std")
    c["isb_percentile"] = hazen(c["isb"], by) * 100
    flag_count = sum((c[v] >= t).astype(int) for v, t in flags.items())
    if p["rural_is_flag"]:
        flag_count = flag_count + (~c["is_urban"]).astype(int)
    c["is_ssu"] = (c["isb_percentile"] <= p["ssu_percentile"]) | (flag_count >= p["ssu_min_flags"])
    return c[["school_id", "year", "isb", "isb_percentile", "is_ssu"]]


def run_baseline(root=national_data.CACHE) -> dict:
    m = load_preset("default")
    started = time.perf_counter()
    schools = pd.read_parquet(root / "schools.parquet")
    context = pd.read_parquet(root / "context.parquet")
    reference = pd.read_parquet(root / "reference.parquet")[
        ["year", "procedure", "subject", "min_score", "high_score"]
    ]
    periods = list(m.param("general.periods"))
    groups = pd.concat(
        [
            procedure_groups(pd.read_parquet(path, columns=COLUMNS), reference, periods)
            for path in national_data.results_paths(root)
        ],
        ignore_index=True,
    )
    values = indicators(groups, m.param("general.n_min"))
    g = groups[groups["procedure"].isin(list(m.param("shnor.procedures")))].merge(
        schools[["school_id", "municipality_id", "region_id"]], on="school_id"
    )
    n_min = m.param("shnor.n_min")
    n_min_vpr = m.param("general.n_min_vpr") or n_min
    g["eligible"] = g["n"] >= np.where(g["procedure"] == "vpr", n_min_vpr, n_min)
    shnor_params = m.param("shnor")
    registry = {int(y): sorted(shnor(g, int(y), shnor_params)) for y in sorted(g["year"].unique())}
    isb = social_index(context, schools, m.param("isb"))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "registry": registry, "isb": isb, "indicators": values}


def main() -> None:
    out = run_baseline()
    path = national_data.CACHE / "pandas_values.parquet"
    out["isb"].to_parquet(path)
    out["indicators"].to_parquet(national_data.CACHE / "pandas_indicators.parquet")
    print(json.dumps({"seconds": out["seconds"], "registry": out["registry"]}))


if __name__ == "__main__":
    main()
