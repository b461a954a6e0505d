"""The tests of «похожие школы» and of the region comparison over whole columns (METHODOLOGY
§7): every (school, procedure group) row with its pooled reference gets Newcombe's interval for
the difference of the shares of «2» and Welch's t-test for the mean score
(`significance_frame`, the same numbers as `significance` to the last bit), and a Russian reason
built by Polars expressions (`text`: the same text as the Python formatters).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.significance_frame import newcombe_exprs, welch_frame, wilson_exprs
from opora.analytics.text import Labels, cat, fmt_pct, num_series, p_series, pct_series, pp_series

G_KEY = ["year", "procedure", "subject", "grade"]
SCHEMA = pl.Schema(
    {
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
)


def compare(
    own: pl.DataFrame,
    pooled: pl.DataFrame,
    keys: pl.DataFrame,
    m: Methodology,
    labels: Labels,
    against: str,
) -> pl.DataFrame:
    """The tests of every (school, group) row with its pooled reference, as whole columns
    (`significance_frame`), and their Russian reasons."""
    p = m.param("similar")
    conf = float(p["confidence"])
    rows = own.join(
        pooled.filter(pl.col("peer_schools") >= p["min_peers"]), on=["school_id", "gid"]
    ).with_columns(comparison=pl.lit(against))
    heads = keys.select("gid", *G_KEY, head=labels.group_expr())
    if against == "region":
        whom = cat("по остальным ", pl.col("peer_schools").cast(pl.String), " школам региона")
    else:
        whom = cat("у ", pl.col("peer_schools").cast(pl.String), " похожих школ")
    parts = []
    if "fail_share" in p["indicators"]:
        known = (pl.col("n_fail_known") != 0) & (pl.col("pn") != 0)
        parts.append(_shares(rows.filter(known), conf, whom))
    if "mean_score" in p["indicators"]:
        # The school's own variance too (the scalar test could not run without it).
        known = pl.col("var_known") & pl.col("pv").is_not_null() & pl.col("score_var").is_not_null()
        parts.append(_means(rows.filter(known), conf, whom))
    empty = pl.DataFrame(schema={"school_id": pl.Int64, "gid": pl.UInt32, **_ROW})
    out = pl.concat([empty, *(part.select("school_id", "gid", *_ROW).cast(_ROW) for part in parts)])
    return (
        out.join(heads, on="gid")
        .with_columns(reason=pl.concat_str("head", "reason"))
        .sort("school_id", "gid", "indicator")
        .select(*SCHEMA)
        .cast(SCHEMA)
    )


_ROW = pl.Schema({k: v for k, v in SCHEMA.items() if k not in ("school_id", *G_KEY)})


def _texts(frame: pl.DataFrame, fmt: Callable[[pl.Series], pl.Series], *names: str) -> pl.DataFrame:
    """The columns `names` formatted by `fmt` (a `text` column formatter) as `_<name>`."""
    return frame.with_columns(fmt(frame[name]).alias(f"_{name}") for name in names)


def _verdict(significant: pl.Expr) -> pl.Expr:
    return pl.when(significant).then(pl.lit(" — значимо.")).otherwise(pl.lit(" — незначимо."))


def _shares(rows: pl.DataFrame, conf: float, whom: pl.Expr) -> pl.DataFrame:
    """Share of «2»: Wilson interval of the school, Newcombe's interval of the difference."""
    k1, n1, k2, n2 = pl.col("n_fail"), pl.col("n_fail_known"), pl.col("pk"), pl.col("pn")
    lo, hi = newcombe_exprs(k1, n1, k2, n2, conf)
    wl, wh = wilson_exprs(k1, n1, conf)
    level = fmt_pct(conf, 0)
    out = rows.with_columns(
        value=k1 / n1, peer_value=k2 / n2, ci_low=lo, ci_high=hi, wl=wl, wh=wh
    ).with_columns(
        diff=pl.col("value") - pl.col("peer_value"),
        significant=(pl.col("ci_low") > 0) | (pl.col("ci_high") < 0),
    )
    out = _texts(out, pct_series, "value", "wl", "wh", "peer_value")
    out = _texts(out, pp_series, "diff", "ci_low", "ci_high")
    reason = cat(
        ": доля «2» ",
        pl.col("_value"),
        " (",
        k1.cast(pl.String),
        " из ",
        n1.cast(pl.String),
        f"; {level} ДИ Уилсона ",
        pl.col("_wl"),
        " – ",
        pl.col("_wh"),
        ") при ",
        pl.col("_peer_value"),
        " ",
        whom,
        " (",
        k2.cast(pl.String),
        " из ",
        n2.cast(pl.String),
        "); разница ",
        pl.col("_diff"),
        f", {level} ДИ Ньюкомба ",
        pl.col("_ci_low"),
        " – ",
        pl.col("_ci_high"),
        _verdict(pl.col("significant")),
    )
    return out.with_columns(
        indicator=pl.lit("fail_share"),
        test=pl.lit("newcombe"),
        n=n1,
        p_value=pl.lit(None, pl.Float64),
        reason=reason,
    )


def _means(rows: pl.DataFrame, conf: float, whom: pl.Expr) -> pl.DataFrame:
    """Mean score: Welch's t-test and its interval."""
    w = welch_frame(
        rows["mean_score"], rows["score_var"], rows["n"], rows["pm"], rows["pv"], rows["pN"], conf
    )
    out = pl.concat([rows, w], how="horizontal").filter("defined")
    out = out.with_columns(
        value=pl.col("mean_score"),
        peer_value=pl.col("pm"),
        diff=pl.col("mean_score") - pl.col("pm"),
        significant=pl.col("p_value") < 1 - conf,
    )
    out = _texts(out, num_series, "mean_score", "pm", "diff", "ci_low", "ci_high")
    out = _texts(out, lambda t: num_series(t, 2), "t")
    out = _texts(out, p_series, "p_value")
    out = _texts(out, num_series, "df")
    reason = cat(
        ": средний балл ",
        pl.col("_mean_score"),
        " (N = ",
        pl.col("n").cast(pl.String),
        ") при ",
        pl.col("_pm"),
        " ",
        whom,
        " (N = ",
        pl.col("pN").cast(pl.String),
        "); разница ",
        pl.col("_diff"),
        f", {fmt_pct(conf, 0)} ДИ ",
        pl.col("_ci_low"),
        " – ",
        pl.col("_ci_high"),
        "; критерий Уэлча t = ",
        pl.col("_t"),
        ", df = ",
        pl.col("_df"),
        ", ",
        pl.col("_p_value"),
        _verdict(pl.col("significant")),
    )
    return out.with_columns(indicator=pl.lit("mean_score"), test=pl.lit("welch"), reason=reason)
