"""The former row-by-row «похожие школы» (before the tests ran over whole columns), kept as the
reference of `test_peers_frame`: every pair of the scope ranked for the peer groups, then one
Python dict per (school, group) row with the scalar tests of `significance` and f-string reasons.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.significance import newcombe, welch, wilson
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num, fmt_p, fmt_pct, fmt_pp

G_KEY = ["year", "procedure", "subject", "grade"]


def peer_groups(
    covariates: pl.DataFrame, schools: pl.DataFrame, m: Methodology, year: int
) -> pl.DataFrame:
    """(school_id, peer_id, distance, rank) — the peers of every school with an ИСБШ in `year`."""
    p = m.param("similar")
    scope = f"{m.param('methodology.reference_scope')}_id"
    base = (
        covariates.filter((pl.col("year") == year) & pl.col("isb_percentile").is_not_null())
        .select("school_id", "isb_percentile", "RURAL")
        .join(schools.select("school_id", scope), on="school_id")
    )
    pairs = (
        base.join(
            base.rename(
                {"school_id": "peer_id", "isb_percentile": "peer_pct", "RURAL": "peer_rural"}
            ),
            on=scope,
        )
        .filter(pl.col("school_id") != pl.col("peer_id"))
        .with_columns(
            distance=(pl.col("isb_percentile") - pl.col("peer_pct")).abs(),
            same=pl.col("RURAL") == pl.col("peer_rural"),
        )
    )
    if p["exact_on_rural"]:
        enough = pairs.group_by("school_id").agg(n_same=pl.col("same").sum())
        pairs = pairs.join(enough, on="school_id").filter(
            pl.col("same") | (pl.col("n_same") < p["min_peers"])
        )
    return (
        pairs.sort("school_id", "distance", "peer_id")
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over("school_id"))
        .filter(pl.col("rank") <= p["k_peers"])
        .select("school_id", "peer_id", "distance", "rank")
    )


def compare_with_peers(
    groups: pl.DataFrame,
    peers: pl.DataFrame,
    m: Methodology,
    year: int,
    labels: Labels = DEFAULT_LABELS,
) -> pl.DataFrame:
    """One row per school × procedure group × indicator against its pooled peers."""
    g = _eligible(groups, m, year)
    mean = pl.col("n") * pl.col("mean_score")
    pm = mean.sum() / pl.col("n").sum()
    pooled = (
        peers.join(g.rename({"school_id": "peer_id"}), on="peer_id")
        .sort("school_id", *G_KEY, "peer_id")
        .group_by("school_id", *G_KEY)
        .agg(
            peer_schools=pl.len(),
            pk=pl.col("n_fail").sum(),
            pn=pl.col("n_fail_known").sum(),
            pN=pl.col("n").sum(),
            pm=pm,
            pv=(
                ((pl.col("n") - 1) * pl.col("score_var")).sum()
                + (pl.col("n") * (pl.col("mean_score") - pm) ** 2).sum()
            )
            / (pl.col("n").sum() - 1),
            var_known=pl.col("score_var").is_not_null().all(),
        )
    )
    return _compare(g, pooled, m, labels, "peers")


def compare_with_region(
    groups: pl.DataFrame,
    schools: pl.DataFrame,
    m: Methodology,
    year: int,
    labels: Labels = DEFAULT_LABELS,
) -> pl.DataFrame:
    """The same comparison against all other schools of the reference scope (the school itself
    left out of the reference), with the same tests."""
    scope = f"{m.param('methodology.reference_scope')}_id"
    g = _eligible(groups, m, year).join(schools.select("school_id", scope), on="school_id")
    over = [scope, *G_KEY]
    total = {
        "k": pl.col("n_fail").fill_null(0),
        "kn": pl.col("n_fail_known").fill_null(0),
        "N": pl.col("n"),
        "S1": pl.col("n") * pl.col("mean_score"),
        "S2": pl.col("n") * pl.col("mean_score") ** 2,
        "W": (pl.col("n") - 1) * pl.col("score_var"),
    }
    g = g.sort(*over, "school_id").with_columns(
        **{f"T{k}": v.sum().over(over) - v for k, v in total.items()},
        peer_schools=pl.len().over(over) - 1,
        var_known=pl.col("score_var").is_not_null().all().over(over),
    )
    pooled = g.select(
        "school_id",
        *G_KEY,
        "peer_schools",
        "var_known",
        pk=pl.col("Tk"),
        pn=pl.col("Tkn"),
        pN=pl.col("TN"),
        pm=pl.col("TS1") / pl.col("TN"),
    ).with_columns(
        pv=pl.when(pl.col("pN") > 1).then(
            (g["TW"] + g["TS2"] - pl.col("pN") * pl.col("pm") ** 2) / (pl.col("pN") - 1)
        )
    )
    return _compare(g.drop(scope), pooled, m, labels, "region")


def _eligible(groups: pl.DataFrame, m: Methodology, year: int) -> pl.DataFrame:
    g = groups.filter((pl.col("year") == year) & (pl.col("n") >= m.param("general.n_min")))
    return g.select("school_id", *G_KEY, "n", "n_fail", "n_fail_known", "mean_score", "score_var")


def _compare(own, pooled, m: Methodology, labels: Labels, against: str) -> pl.DataFrame:
    p = m.param("similar")
    pooled = pooled.filter(pl.col("peer_schools") >= p["min_peers"])
    rows = (
        own.select("school_id", *G_KEY, "n", "n_fail", "n_fail_known", "mean_score", "score_var")
        .join(pooled, on=["school_id", *G_KEY])
        .sort("school_id", *G_KEY)
        .to_dicts()
    )
    out = []
    conf = float(p["confidence"])
    for r in rows:
        r["against"] = against
        if "fail_share" in p["indicators"] and r["n_fail_known"] and r["pn"]:
            out.append(_share(r, conf, labels))
        if "mean_score" in p["indicators"] and r["var_known"] and r["pv"] is not None:
            res = welch(r["mean_score"], r["score_var"], r["n"], r["pm"], r["pv"], r["pN"], conf)
            if res is not None:
                out.append(_mean(r, res, conf, labels))
    schema = {
        "school_id": pl.Int64,
        "year": pl.Int64,
        "procedure": pl.String,
        "subject": pl.String,
        "grade": pl.Int64,
        "comparison": pl.String,
        "indicator": pl.String,
        "test": pl.String,
        "n": pl.Int64,
        "value": pl.Float64,
        "peer_schools": pl.Int64,
        "peer_value": pl.Float64,
        "diff": pl.Float64,
        "ci_low": pl.Float64,
        "ci_high": pl.Float64,
        "p_value": pl.Float64,
        "significant": pl.Boolean,
        "reason": pl.String,
    }
    return pl.DataFrame(out, schema=schema).sort("school_id", *G_KEY, "indicator")


def _whom(r: dict) -> str:
    if r["against"] == "region":
        return f"по остальным {r['peer_schools']} школам региона"
    return f"у {r['peer_schools']} похожих школ"


def _head(r: dict, labels: Labels) -> str:
    return labels.group(r["procedure"], r["subject"], r["grade"], r["year"])


def _share(r: dict, conf: float, labels: Labels) -> dict:
    k1, n1, k2, n2 = r["n_fail"], r["n_fail_known"], r["pk"], r["pn"]
    lo, hi = newcombe(k1, n1, k2, n2, conf)
    wl, wh = wilson(k1, n1, conf)
    sig = lo > 0 or hi < 0
    level = fmt_pct(conf, 0)
    reason = (
        f"{_head(r, labels)}: доля «2» {fmt_pct(k1 / n1)} ({k1} из {n1}; {level} ДИ Уилсона "
        f"{fmt_pct(wl)} – {fmt_pct(wh)}) при {fmt_pct(k2 / n2)} {_whom(r)} "
        f"({k2} из {n2}); разница {fmt_pp(k1 / n1 - k2 / n2)}, {level} ДИ Ньюкомба {fmt_pp(lo)} – "
        f"{fmt_pp(hi)} — {'значимо' if sig else 'незначимо'}."
    )
    return {
        **{k: r[k] for k in ("school_id", *G_KEY)},
        "comparison": r["against"],
        "indicator": "fail_share",
        "test": "newcombe",
        "n": n1,
        "value": k1 / n1,
        "peer_schools": r["peer_schools"],
        "peer_value": k2 / n2,
        "diff": k1 / n1 - k2 / n2,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": None,
        "significant": sig,
        "reason": reason,
    }


def _mean(
    r: dict, res: tuple[float, float, float, float, float], conf: float, labels: Labels
) -> dict:
    t, df, pval, lo, hi = res
    sig = pval < 1 - conf
    diff = r["mean_score"] - r["pm"]
    reason = (
        f"{_head(r, labels)}: средний балл {fmt_num(r['mean_score'])} (N = {r['n']}) при "
        f"{fmt_num(r['pm'])} {_whom(r)} (N = {r['pN']}); разница "
        f"{fmt_num(diff)}, {fmt_pct(conf, 0)} ДИ {fmt_num(lo)} – {fmt_num(hi)}; критерий Уэлча "
        f"t = {fmt_num(t, 2)}, df = {fmt_num(df, 1)}, {fmt_p(pval)} — {'значимо' if sig else 'незначимо'}."
    )
    return {
        **{k: r[k] for k in ("school_id", *G_KEY)},
        "comparison": r["against"],
        "indicator": "mean_score",
        "test": "welch",
        "n": r["n"],
        "value": r["mean_score"],
        "peer_schools": r["peer_schools"],
        "peer_value": r["pm"],
        "diff": diff,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": pval,
        "significant": sig,
        "reason": reason,
    }
