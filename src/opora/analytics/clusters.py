"""Clusters of schools (METHODOLOGY §3): multi-label, percentiles within the reference scope.

* НОР — ШНОР per §2 (`shnor.identify_shnor`).
* ОВЗ — share with ОВЗ ≥ `clusters.ovz_share` or its percentile rank ≥ `top_quantile`.
* РКН — share with Russian as a non-native language ≥ `rkn_share` or percentile ≥ `top_quantile`.
* ССУ — ИСБШ percentile ≤ `ssu.isb_percentile` or ≥ `ssu.min_flags` binary context flags (§6).
* The registry (реестр школ – участников программы) = schools of any cluster listed in
  `clusters.registry` (default: НОР and ССУ — the Lipetsk order of 2020, DOMAIN §5.5).
* Математика / русский язык — (z_subject ≤ `subject_problem.z_max` or share of «2» in the
  subject's ВПР/ОГЭ ≥ `fail_share`) and (z_subject − z_other) ≤ `diff_vs_other`; z_subject =
  N-weighted mean of z[s,p,y] over the subject's procedure groups (§3), groups with N < n_min left
  out. Without the other subject's z the difference is unknown and the cluster is not assigned.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.schemas import CONTEXT, SCHOOLS, validate_frame
from opora.analytics.shnor import eligible_groups, scope_column
from opora.analytics.stats import percentile_rank, zscore
from opora.analytics.text import fmt_num, fmt_pct

CLUSTERS: dict[str, str] = {
    "nor": "НОР",
    "ovz": "ОВЗ",
    "rkn": "РКН",
    "ssu": "ССУ",
    "math": "Проблемы в обучении математике",
    "rus": "Проблемы в обучении русскому языку",
}
SUBJECT_NAMES = {"math": "математике", "rus": "русскому языку"}


def subject_scores(
    groups: pl.DataFrame,
    schools: pl.DataFrame,
    m: Methodology,
    eligible: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Per school × year × subject family (`math_profile` → `math`): N-weighted mean z over the
    eligible groups (z within scope × year × procedure × subject × grade), and the pooled share
    of «2» over the family's ВПР and ОГЭ groups (`eligible` = `eligible_groups(...)` if at hand)."""
    scope = scope_column(m)
    if eligible is None:
        eligible = eligible_groups(groups, schools, m)
    g = eligible.filter(pl.col("eligible"))
    over = [scope, "year", "procedure", "subject", "grade"]
    vpr_oge = pl.col("procedure").is_in(["vpr", "oge"])
    return (
        g.with_columns(
            z=zscore("mean_score", over), family=pl.col("subject").str.split("_").list.first()
        )
        .group_by("school_id", "year", "family")
        .agg(
            # when/then rather than filter inside the aggregation: the same sums, far faster
            z=pl.when(pl.col("z").is_not_null()).then(pl.col("z") * pl.col("n")).sum()
            / pl.when(pl.col("z").is_not_null()).then(pl.col("n")).sum(),
            fail=pl.when(vpr_oge).then(pl.col("n_fail")).sum()
            / pl.when(vpr_oge).then(pl.col("n_fail_known")).sum(),
            n=pl.col("n").sum(),
        )
        .with_columns(pl.col("z", "fail").fill_nan(None))
        .sort("school_id", "year", "family")
    )


def assign_clusters(
    schools: pl.DataFrame,
    context: pl.DataFrame,
    groups: pl.DataFrame,
    shnor: pl.DataFrame,
    isb: pl.DataFrame,
    methodology: Methodology,
    year: int,
    subjects: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per school of `schools`: a boolean column per cluster, `clusters` (names) and reasons.

    `shnor` is `identify_shnor(...).schools`, `isb` is `social_index(...)`, `subjects` is
    `subject_scores(...)` if at hand.
    """
    m = methodology
    p = m.param("clusters")
    schools = validate_frame(schools, SCHOOLS)
    context = validate_frame(context, CONTEXT).filter(pl.col("year") == year)
    scope = f"{p['percentile_scope']}_id"
    top = p["top_quantile"]
    frame = (
        schools.select("school_id", scope)
        .join(context.select("school_id", "ovz_share", "rkn_share"), on="school_id", how="left")
        .with_columns(
            ovz=pl.col("ovz_share") / 100,
            rkn=pl.col("rkn_share") / 100,
        )
        .with_columns(
            ovz_pct=percentile_rank("ovz", [scope]), rkn_pct=percentile_rank("rkn", [scope])
        )
        .join(
            shnor.filter(pl.col("year") == year).select("school_id", "is_shnor"),
            on="school_id",
            how="left",
        )
        .join(
            isb.filter(pl.col("year") == year).select(
                "school_id", "isb_percentile", "context_flags"
            ),
            on="school_id",
            how="left",
        )
    )
    if subjects is None:
        subjects = subject_scores(groups, schools, m)
    scores = subjects.filter(pl.col("year") == year)
    for family in ("math", "rus"):
        part = scores.filter(pl.col("family") == family).select(
            "school_id", pl.col("z").alias(f"z_{family}"), pl.col("fail").alias(f"fail_{family}")
        )
        frame = frame.join(part, on="school_id", how="left")
    sp = p["subject_problem"]
    ssu = p["ssu"]

    def subject(own: str, other: str) -> pl.Expr:
        weak = (pl.col(f"z_{own}") <= sp["z_max"]).fill_null(False) | (
            pl.col(f"fail_{own}") >= sp["fail_share"]
        ).fill_null(False)
        diff = (pl.col(f"z_{own}") - pl.col(f"z_{other}")) <= sp["diff_vs_other"]
        return weak & diff.fill_null(False)

    frame = frame.with_columns(
        year=pl.lit(year, pl.Int64),
        nor=pl.col("is_shnor").fill_null(False),
        ovz=((pl.col("ovz") >= p["ovz_share"]) | (pl.col("ovz_pct") >= top)).fill_null(False),
        rkn=((pl.col("rkn") >= p["rkn_share"]) | (pl.col("rkn_pct") >= top)).fill_null(False),
        ssu=(
            (pl.col("isb_percentile") <= ssu["isb_percentile"]).fill_null(False)
            | (pl.col("context_flags") >= ssu["min_flags"]).fill_null(False)
        ),
        math=subject("math", "rus"),
        rus=subject("rus", "math"),
        ovz_share=pl.col("ovz"),
        rkn_share=pl.col("rkn"),
    ).sort("school_id")
    frame = frame.with_columns(
        in_registry=pl.any_horizontal(*(pl.col(code) for code in p["registry"]))
    )
    rows = frame.to_dicts()
    names = [[CLUSTERS[c] for c in CLUSTERS if row[c]] for row in rows]
    reasons = [_reasons(row, m) for row in rows]
    return frame.select(
        "school_id",
        "year",
        *CLUSTERS,
        "in_registry",
        "ovz_share",
        "rkn_share",
        "z_math",
        "z_rus",
        "fail_math",
        "fail_rus",
    ).with_columns(
        clusters=pl.Series(names, dtype=pl.List(pl.String)),
        reasons=pl.Series(reasons, dtype=pl.List(pl.String)),
    )


def _reasons(row: dict, m: Methodology) -> list[str]:
    p = m.param("clusters")
    texts = []
    if row["nor"]:
        texts.append("НОР: школа в списке ШНОР этого года.")
    for code, label in (("ovz", "обучающихся с ОВЗ"), ("rkn", "обучающихся с русским неродным")):
        if row[code]:
            texts.append(
                f"{CLUSTERS[code]}: доля {label} {fmt_pct(row[f'{code}_share'])} (порог "
                f"{fmt_pct(p[f'{code}_share'])}), процентиль {fmt_pct(row[f'{code}_pct'], 0)} "
                f"(верхние {fmt_pct(1 - p['top_quantile'], 0)} региона)."
            )
    if row["ssu"]:
        texts.append(
            f"ССУ: процентиль ИСБШ {fmt_num(row['isb_percentile'], 0)} (порог "
            f"{p['ssu']['isb_percentile']}), контекстных факторов {row['context_flags']} (порог "
            f"{p['ssu']['min_flags']})."
        )
    sp = p["subject_problem"]
    for own, other in (("math", "rus"), ("rus", "math")):
        if row[own]:
            texts.append(
                f"Проблемы в обучении {SUBJECT_NAMES[own]}: z = {fmt_num(row[f'z_{own}'], 2)} "
                f"(порог {fmt_num(sp['z_max'], 1)}), доля «2» {fmt_pct(row[f'fail_{own}'])} "
                f"(порог {fmt_pct(sp['fail_share'])}); отставание от "
                f"{'русского языка' if other == 'rus' else 'математики'} "
                f"{fmt_num(row[f'z_{own}'] - row[f'z_{other}'], 2)} (порог {fmt_num(sp['diff_vs_other'], 1)})."
            )
    return texts
