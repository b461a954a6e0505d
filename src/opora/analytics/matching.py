"""Partner matching for low-result schools (METHODOLOGY §10), within the reference scope.

    W(t)   weak subjects of target t: an R1 hit in y or y−1, or subject z ≤ clusters.subject_problem.z_max;
           if none, the lowest-z subject
    pool   not ШНОР in y; no objectivity signs in the last `clean_years` years; not DECLINE in y
           (`exclude_decline`); `pool_filter` (list of school types) if set; CE[c,j] ≥ `ce_min` for
           every j in W(t) (`cover: all`); with fewer than `min_candidates` such partners: for any j
           (`fallback_cover: any`), said in the reasons
    ctx    1 − [|ISBpct_t − ISBpct_c|/100 + |RURAL_t − RURAL_c| + min(1, |ln(size_t/size_c)| / ln(size_ratio_full))] / 3
    str    mean_{j∈W(t)} clip(CE[c,j] / ce_scale, 0, 1)
    geo    `geo.same_municipality` for the same municipality, else 0 (the input frames carry no
           neighbourhood or school-to-school distance, so `neighbour` and `max_km` are not used yet)
    S      weights.context·ctx + weights.strength·str + weights.geo·geo
Assignment (`assignment.py`): `method: greedy` — pairs by S descending (ties: target id, partner
id), a pair taken when the target has fewer than `k_per_target` partners and the partner fewer
than `cap_per_partner` targets; `optimal` — min-cost max-flow (as many pairs as possible, then
the largest total S). Output: the top `show_top` candidates per target and the assignment.
"""

from __future__ import annotations

import math

import polars as pl

from opora.analytics.assignment import greedy, optimal
from opora.analytics.methodology import Methodology
from opora.analytics.ordering import sort_rows
from opora.analytics.text import fmt_num

FAMILY_NAMES = {"math": "математике", "rus": "русскому языку"}


def weak_subjects(
    subject_scores: pl.DataFrame,
    evidence: pl.DataFrame,
    targets: list[int],
    m: Methodology,
    year: int,
) -> pl.DataFrame:
    """W(t): one row per target × weak subject family, with the target's z."""
    z_max = m.param("clusters.subject_problem.z_max")
    z = subject_scores.filter((pl.col("year") == year) & pl.col("school_id").is_in(targets))
    r1 = (
        evidence.filter((pl.col("rule") == "R1") & pl.col("year").is_in([year - 1, year]))
        .select("school_id", family=pl.col("subject").str.split("_").list.first())
        .unique()
    )
    weak = pl.concat([r1, z.filter(pl.col("z") <= z_max).select("school_id", "family")]).unique()
    lowest = (
        z.filter(
            pl.col("z").is_not_null() & ~pl.col("school_id").is_in(weak["school_id"].to_list())
        )
        .sort("school_id", "z", "family")
        .group_by("school_id", maintain_order=True)
        .first()
        .select("school_id", "family")
    )
    return (
        pl.concat([weak, lowest])
        .join(z.select("school_id", "family", "z"), on=["school_id", "family"], how="left")
        .rename({"school_id": "target_id"})
        .sort("target_id", "family")
    )


def match_partners(
    schools: pl.DataFrame,
    covariates: pl.DataFrame,
    shnor: pl.DataFrame,
    evidence: pl.DataFrame,
    subject_scores: pl.DataFrame,
    subject_ce: pl.DataFrame,
    methodology: Methodology,
    year: int,
    objectivity: pl.DataFrame | None = None,
    decline: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Ranked partner candidates for every ШНОР school of `year`, with the assignment and reasons."""
    m = methodology
    p = m.param("matching")
    scope = f"{m.param('methodology.reference_scope')}_id"
    info = schools.select("school_id", "municipality_id", scope, "school_type").join(
        covariates.filter(pl.col("year") == year).select(
            "school_id", "isb_percentile", "RURAL", "log_students"
        ),
        on="school_id",
        how="left",
    )
    now = shnor.filter(pl.col("year") == year)
    targets = sorted(now.filter("is_shnor")["school_id"].to_list())
    pool = info.join(now.filter("is_shnor").select("school_id"), on="school_id", how="anti")
    if objectivity is not None:
        dirty = objectivity.filter(pl.col("has_signs") & (pl.col("year") > year - p["clean_years"]))
        pool = pool.join(
            dirty.filter(pl.col("year") <= year).select("school_id"), on="school_id", how="anti"
        )
    if decline is not None and p["exclude_decline"]:
        pool = pool.join(
            decline.filter(pl.col("decline")).select("school_id"), on="school_id", how="anti"
        )
    if p["pool_filter"] is not None:
        pool = pool.filter(pl.col("school_type").is_in(list(p["pool_filter"])))
    weak = weak_subjects(subject_scores, evidence, targets, m, year)
    ce = subject_ce.filter(pl.col("year") == year).select(
        partner_id="school_id", family="family", ce="ce"
    )
    t_info = info.filter(pl.col("school_id").is_in(targets)).rename(lambda c: f"t_{c}")
    c_info = pool.rename(lambda c: f"c_{c}")
    pairs = t_info.join(c_info, left_on=f"t_{scope}", right_on=f"c_{scope}").rename(
        {"t_school_id": "target_id", "c_school_id": "partner_id"}
    )
    # One row per pair and weak subject, in the order of the subjects (deterministic lists).
    per_subject = sort_rows(
        pairs.select("target_id", "partner_id")
        .join(weak, on="target_id")
        .join(ce, on=["partner_id", "family"], how="left"),
        ["target_id", "partner_id", "family"],
    )
    ok = (pl.col("ce") >= p["ce_min"]).fill_null(False)
    cover = per_subject.group_by("target_id", "partner_id").agg(
        all_ok=ok.all(),
        any_ok=ok.any(),
        strength=(pl.col("ce") / p["ce_scale"]).clip(0, 1).fill_null(0).mean(),
    )
    pairs = pairs.join(cover, on=["target_id", "partner_id"])
    n_all = pairs.group_by("target_id").agg(n_all=pl.col("all_ok").sum())
    pairs = (
        pairs.join(n_all, on="target_id")
        .with_columns(fallback=pl.col("n_all") < p["min_candidates"])
        .filter(pl.when(pl.col("fallback")).then(pl.col("any_ok")).otherwise(pl.col("all_ok")))
    )
    size = (pl.col("t_log_students") - pl.col("c_log_students")).abs() / math.log(
        p["size_ratio_full"]
    )
    ctx = (
        1
        - (
            (pl.col("t_isb_percentile") - pl.col("c_isb_percentile")).abs() / 100
            + (pl.col("t_RURAL") - pl.col("c_RURAL")).abs()
            + pl.min_horizontal(pl.lit(1.0), size)
        )
        / 3
    )
    w = p["weights"]
    geo = (
        pl.when(pl.col("t_municipality_id") == pl.col("c_municipality_id"))
        .then(p["geo"]["same_municipality"])
        .otherwise(0.0)
    )
    pairs = (
        pairs.with_columns(context=ctx, geo=geo)
        .filter(pl.col("context").is_not_null())
        .with_columns(
            score=w["context"] * pl.col("context")
            + w["strength"] * pl.col("strength")
            + w["geo"] * pl.col("geo")
        )
        .sort(["score", "target_id", "partner_id"], descending=[True, False, False])
        .with_columns(
            rank=pl.col("score").rank("ordinal", descending=True).over("target_id").cast(pl.Int64)
        )
    )
    k, cap = p["k_per_target"], p["cap_per_partner"]
    if p["method"] == "optimal":
        assigned = optimal(pairs.select("target_id", "partner_id", "score").rows(), k, cap)
    else:
        # Greedy never reaches past a target's first k + ⌊T·k / cap⌋ candidates (T targets in
        # the scope): only partners already full are skipped, and at most that many can be.
        bound = k + pl.col("target_id").n_unique().over(f"t_{scope}") * k // cap
        considered = pairs.with_columns(_bound=bound).filter(pl.col("rank") <= pl.col("_bound"))
        assigned = greedy(considered.select("target_id", "partner_id").rows(), k, cap)
    taken = pl.DataFrame(
        sorted(assigned), schema={"target_id": pl.Int64, "partner_id": pl.Int64}, orient="row"
    ).with_columns(assigned=pl.lit(True))
    pairs = (
        pairs.join(taken, on=["target_id", "partner_id"], how="left", maintain_order="left")
        .with_columns(pl.col("assigned").fill_null(False))
        .filter((pl.col("rank") <= p["show_top"]) | pl.col("assigned"))
        .sort("target_id", "rank")
    )
    lists = (
        per_subject.join(pairs.select("target_id", "partner_id"), on=["target_id", "partner_id"])
        .sort("target_id", "partner_id", "family")
        .group_by("target_id", "partner_id", maintain_order=True)
        .agg(ce_list=pl.col("ce"), fam_list=pl.col("family"), z_list=pl.col("z"))
    )
    pairs = pairs.join(lists, on=["target_id", "partner_id"], how="left", maintain_order="left")
    reasons = [_reasons(r, m) for r in pairs.iter_rows(named=True)]
    return pairs.select(
        "target_id",
        "partner_id",
        "rank",
        "score",
        "context",
        "strength",
        "geo",
        "assigned",
        "fallback",
        year=pl.lit(year, pl.Int64),
    ).with_columns(reasons=pl.Series(reasons, dtype=pl.List(pl.String)))


def _reasons(r: dict, m: Methodology) -> list[str]:
    w = m.param("matching.weights")

    def area(rural: float | None) -> str:
        return "сельская" if rural == 1 else "городская"

    subjects = "; ".join(
        f"CE по {FAMILY_NAMES.get(f, f)} {fmt_num(ce, 2)} при z школы {fmt_num(z, 2)}"
        for f, ce, z in zip(r["fam_list"], r["ce_list"], r["z_list"], strict=True)
    )
    texts = [
        f"Контекст: процентиль ИСБШ {fmt_num(r['c_isb_percentile'], 0)} (у школы {fmt_num(r['t_isb_percentile'], 0)}), "
        f"{area(r['c_RURAL'])} (школа — {area(r['t_RURAL'])}), обучающихся {fmt_num(math.exp(r['c_log_students']), 0)} "
        f"(у школы {fmt_num(math.exp(r['t_log_students']), 0)}).",
        f"Сильные стороны: {subjects}.",
        ("Тот же муниципалитет." if r["geo"] > 0 else "Другой муниципалитет."),
        f"S = {fmt_num(w['context'], 1)}·{fmt_num(r['context'], 2)} + {fmt_num(w['strength'], 1)}·"
        f"{fmt_num(r['strength'], 2)} + {fmt_num(w['geo'], 1)}·{fmt_num(r['geo'], 2)} = {fmt_num(r['score'], 2)}.",
    ]
    if r["fallback"]:
        texts.append(
            "Партнёров, сильных во всех слабых предметах школы, меньше минимума: подобран сильный хотя бы в одном."
        )
    if r["assigned"]:
        texts.append("Назначен партнёром.")
    return texts
