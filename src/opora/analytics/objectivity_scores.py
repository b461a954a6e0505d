"""Objectivity markers over results (METHODOLOGY §5.2): M1, M3, M7 (M4, M4T in
`objectivity_distribution`).

All compare a ВПР group (school × year × subject × grade of `objectivity.procedures`) with the
schools of the reference scope (region by default); groups with N < `general.n_min` are not
evaluated, so they never fire.

* M1 — high result not confirmed externally: z of the mean score ≥ `m1.k_high`, school type not
  in `m1.whitelist_types`, and the N-weighted ОГЭ/ЕГЭ z in the same subject (groups with N ≥
  `external_n_min`) < `m1.k_ext`. The external years: of the last `m1.external_years` up to the
  ВПР year, `m1.external_window` = `latest` takes the most recent one with data (the same year's
  ГИА when it is loaded: a school's bad year before does not «unconfirm» a ВПР that this year's
  ГИА confirms), `pooled` all of them. No external data → not evaluated.
* M3 — cohort inconsistency (Jacob & Levitt 2003, QJE 118(3), «Rotten Apples»): r_t = percentile of
  the group in grade g, year t; r_t1 = percentile of the same subject in grade g+1, year t+1;
  SCORE = r_t² + (1 − r_t1)² ≥ the scope's `m3.percentile` quantile (or r_t − r_t1 ≥ `alt_drop`
  when `use_alt`); attributed to year t; scopes with < `m3.min_schools` schools not evaluated.
* M7 — jump then fall: z_y − z_{y−1} ≥ `m7.jump` and z_{y+1} − z_y ≤ `m7.fall` (retrospective).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_registry import SIGNAL_KEY, SIGNAL_SCHEMA, vpr_unit_filter
from opora.analytics.stats import percentile_rank, zscore
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num, fmt_pct

UNIT = ["subject", "grade"]


def finish(frame: pl.DataFrame, text: Callable[[dict], str]) -> pl.DataFrame:
    """Signal columns of `frame` with a reason for every fired row; sorted by the signal key."""
    missing = [pl.lit(None, t).alias(c) for c, t in SIGNAL_SCHEMA.items() if c not in frame.columns]
    full = frame.with_columns(missing).sort(SIGNAL_KEY, nulls_last=True).with_row_index("_i")
    fired = full.filter(pl.col("fired"))
    reasons = pl.DataFrame(
        {"_i": fired["_i"], "reason": [text(row) for row in fired.iter_rows(named=True)]},
        schema={"_i": pl.UInt32, "reason": pl.String},
    )
    full = full.drop("reason").join(reasons, on="_i", how="left").sort("_i")
    return full.select([pl.col(c).cast(t) for c, t in SIGNAL_SCHEMA.items()])


def _vpr(groups: pl.DataFrame, schools: pl.DataFrame, m: Methodology, scope: str) -> pl.DataFrame:
    return groups.filter(
        vpr_unit_filter(m)
        & (pl.col("n") >= m.param("general.n_min"))
        & pl.col("mean_score").is_not_null()
    ).join(schools.select("school_id", scope, "school_type"), on="school_id")


def m1(groups, schools, m: Methodology, scope: str, labels: Labels = DEFAULT_LABELS):
    """M1 signals: high ВПР result not confirmed by ОГЭ/ЕГЭ in the same subject."""
    p = m.param("objectivity.m1")
    vpr = _vpr(groups, schools, m, scope).with_columns(
        z=zscore("mean_score", [scope, "year", *UNIT])
    )
    ext_over = [scope, "year", "procedure", "subject"]
    ext = (
        groups.filter(
            pl.col("procedure").is_in(["oge", "ege", "ege_base"])
            & (pl.col("n") >= p["external_n_min"])
            & pl.col("mean_score").is_not_null()
        )
        .join(schools.select("school_id", scope), on="school_id")
        .with_columns(
            z=zscore("mean_score", ext_over), family=pl.col("subject").str.split("_").list.first()
        )
        .filter(pl.col("z").is_not_null())
    )
    years = int(p["external_years"])
    latest = p["external_window"] == "latest"
    pairs = (
        vpr.select("school_id", "year", family=pl.col("subject").str.split("_").list.first())
        .unique()
        .join(
            ext.select("school_id", "family", ext_year="year", ez="z", en="n"),
            on=["school_id", "family"],
        )
        .filter(
            (pl.col("ext_year") <= pl.col("year")) & (pl.col("ext_year") > pl.col("year") - years)
        )
        .filter(
            (pl.col("ext_year") == pl.col("ext_year").max().over("school_id", "year", "family"))
            | (not latest)
        )
        .group_by("school_id", "year", "family")
        .agg(
            ext_z=(pl.col("ez") * pl.col("en")).sum() / pl.col("en").sum(),
            ext_from=pl.col("ext_year").min(),
            ext_to=pl.col("ext_year").max(),
        )
    )
    out = (
        vpr.with_columns(family=pl.col("subject").str.split("_").list.first())
        .join(pairs, on=["school_id", "year", "family"], how="inner")
        .filter(pl.col("z").is_not_null())
        .with_columns(
            marker=pl.lit("M1"),
            value=pl.col("z"),
            threshold=pl.lit(float(p["k_high"])),
            reference=pl.col("ext_z"),
            fired=(pl.col("z") >= p["k_high"])
            & ~pl.col("school_type").is_in(list(p["whitelist_types"]))
            & (pl.col("ext_z") < p["k_ext"]),
        )
    )

    def text(r: dict) -> str:
        first, last = r["ext_from"], r["ext_to"]
        span = str(last) if first == last else f"{first}–{last}"
        return (
            f"{labels.group('vpr', r['subject'], r['grade'], r['year'])}: средний балл выше "
            f"региона на {fmt_num(r['value'], 2)} ст. откл. (порог {fmt_num(r['threshold'], 1)}), "
            f"а ОГЭ/ЕГЭ по предмету ({span}) — z = {fmt_num(r['reference'], 2)} (порог < "
            f"{fmt_num(p['k_ext'], 1)}); N = {r['n']}"
        )

    return finish(out, text)


def m3(groups, schools, m: Methodology, scope: str, labels: Labels = DEFAULT_LABELS):
    """M3 signals: a cohort high in grade g, year t and low in grade g+1, year t+1."""
    p = m.param("objectivity.m3")
    all_vpr = groups.filter(
        (pl.col("procedure") == "vpr")
        & (pl.col("n") >= m.param("general.n_min"))
        & pl.col("mean_score").is_not_null()
    ).join(schools.select("school_id", scope), on="school_id")
    ranked = all_vpr.with_columns(r=percentile_rank("mean_score", [scope, "year", *UNIT]))
    start = _vpr(groups, schools, m, scope).select("school_id", scope, "year", *UNIT, "n")
    start = start.join(
        ranked.select("school_id", "year", *UNIT, "r"), on=["school_id", "year", *UNIT]
    )
    nxt = ranked.select(
        "school_id", "subject", year=pl.col("year") - 1, grade=pl.col("grade") - 1, r1=pl.col("r")
    )
    over = [scope, "year", *UNIT]
    out = (
        start.join(nxt, on=["school_id", "year", *UNIT])
        .with_columns(score=pl.col("r") ** 2 + (1 - pl.col("r1")) ** 2)
        .with_columns(
            schools_n=pl.len().over(over),
            q=pl.col("score").quantile(p["percentile"], "linear").over(over),
        )
        .filter(pl.col("schools_n") >= p["min_schools"])
    )
    if p["use_alt"]:
        out = out.with_columns(
            value=pl.col("r") - pl.col("r1"), threshold=pl.lit(float(p["alt_drop"]))
        )
    else:
        out = out.with_columns(value=pl.col("score"), threshold=pl.col("q"))
    out = out.with_columns(
        marker=pl.lit("M3"),
        procedure=pl.lit("vpr"),
        reference=pl.col("r1"),
        fired=pl.col("value") >= pl.col("threshold"),
        r_t=pl.col("r"),
    )

    def text(r: dict) -> str:
        return (
            f"{labels.group('vpr', r['subject'], r['grade'], r['year'])}: место в регионе "
            f"{fmt_pct(r['r_t'], 0)}, та же параллель через год ({r['grade'] + 1} класс) — "
            f"{fmt_pct(r['reference'], 0)}; показатель Джейкоба–Левитта {fmt_num(r['value'], 2)} "
            f"при пороге {fmt_num(r['threshold'], 2)}"
        )

    return finish(out, text)


def m7(groups, schools, m: Methodology, scope: str, labels: Labels = DEFAULT_LABELS):
    """M7 signals: z rises by ≥ `jump` in year y and falls by ≥ |`fall`| in y+1."""
    p = m.param("objectivity.m7")
    z = (
        _vpr(groups, schools, m, scope)
        .with_columns(z=zscore("mean_score", [scope, "year", *UNIT]))
        .filter(pl.col("z").is_not_null())
        .select("school_id", "year", *UNIT, "n", "z")
    )
    prev = z.select("school_id", *UNIT, year=pl.col("year") + 1, z_prev="z")
    nxt = z.select("school_id", *UNIT, year=pl.col("year") - 1, z_next="z")
    out = (
        z.join(prev, on=["school_id", "year", *UNIT])
        .join(nxt, on=["school_id", "year", *UNIT])
        .with_columns(
            marker=pl.lit("M7"),
            procedure=pl.lit("vpr"),
            value=pl.col("z") - pl.col("z_prev"),
            reference=pl.col("z_next") - pl.col("z"),
            threshold=pl.lit(float(p["jump"])),
        )
        .with_columns(fired=(pl.col("value") >= p["jump"]) & (pl.col("reference") <= p["fall"]))
    )

    def text(r: dict) -> str:
        return (
            f"{labels.group('vpr', r['subject'], r['grade'], r['year'])}: рост на "
            f"{fmt_num(r['value'], 2)} ст. откл. за год (порог {fmt_num(p['jump'], 1)}), затем "
            f"изменение {fmt_num(r['reference'], 2)} в {r['year'] + 1} (порог {fmt_num(p['fall'], 1)}); "
            f"N = {r['n']}"
        )

    return finish(out, text)
