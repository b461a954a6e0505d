"""«Похожие школы»: the peer group of a school by social context and the significance of its
difference from the peers (issue 4, point 4; METHODOLOGY §6–7).

Peer group: the `similar.k_peers` schools of the same reference scope nearest by ИСБШ percentile
(ties by school id), of the same settlement type when `exact_on_rural` (if fewer than
`min_peers` such schools, of any type). For each procedure group of the school with N ≥
`general.n_min`, the peers' groups of the same procedure, subject, grade and year (N ≥ n_min,
at least `min_peers` schools) are pooled and compared:
* share of «2»: Wilson interval for the school's share and Newcombe's interval (method 10) for
  the difference school − peers; significant when it excludes 0;
* mean score (needs within-group variances, i.e. student rows): Welch's t-test, two-sided, with
  its interval; significant when p < 1 − `confidence`.
See `significance` for the formulas and references; `peers_compare` runs the tests over whole
columns (`significance_frame`) with the same numbers, so that a national run includes them.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.peers_compare import compare
from opora.analytics.text import DEFAULT_LABELS, Labels

G_KEY = ["year", "procedure", "subject", "grade"]


def peer_groups(
    covariates: pl.DataFrame, schools: pl.DataFrame, m: Methodology, year: int
) -> pl.DataFrame:
    """(school_id, peer_id, distance, rank) — the peers of every school with an ИСБШ in `year`.

    Candidates of a school: the other schools of its scope of the same settlement type (with
    `exact_on_rural`, when there are `min_peers` of them), else all others of the scope — its
    «pool». Sorted by percentile, the k nearest lie within k places on either side, which gives
    the k-th distance; every candidate within that distance (ties included, whatever their
    place) is then ranked by (distance, peer_id). The same result as ranking every pair of the
    scope, without the pairs (≈ 20 million nationally)."""
    p = m.param("similar")
    k, scope = int(p["k_peers"]), f"{m.param('methodology.reference_scope')}_id"
    base = (
        covariates.filter((pl.col("year") == year) & pl.col("isb_percentile").is_not_null())
        .select("school_id", pct="isb_percentile", rural="RURAL")
        .join(schools.select("school_id", scope), on="school_id")
        .filter(pl.col(scope).is_not_null())
    )
    whole = base.with_columns(typed=pl.lit(False), rural=pl.lit(0.0))
    typed = base.filter(pl.col("rural").is_not_null()).with_columns(typed=pl.lit(True))
    members = pl.concat([whole, typed]).sort(scope, "typed", "rural", "pct", "school_id")
    pool = pl.struct(scope, "typed", "rural").rank("dense").cast(pl.Int64)
    members = members.with_columns(pool=pool).with_columns(
        pos=pl.int_range(pl.len()).over("pool"), size=pl.len().over("pool")
    )
    # Own pool: the settlement type when enough others share it (METHODOLOGY §6).
    typed_size = pl.col("size").filter("typed").first().over("school_id")
    use_typed = (typed_size - 1 >= p["min_peers"]).fill_null(False) & bool(p["exact_on_rural"])
    own = members.filter(pl.col("typed") == use_typed).select(
        "school_id", "pct", "pool", "pos", "size"
    )
    cands = members.select("pool", "pos", peer_id="school_id", peer_pct="pct")

    def around(frame: pl.DataFrame, first: pl.Expr, last: pl.Expr) -> pl.DataFrame:
        """The candidates at places first..last of the pool, the school itself left out."""
        return (
            frame.with_columns(cand=pl.int_ranges(first, last + 1))
            .explode("cand")
            .filter(pl.col("cand") != pl.col("pos"))
            .join(cands, left_on=["pool", "cand"], right_on=["pool", "pos"])
            .with_columns(distance=(pl.col("pct") - pl.col("peer_pct")).abs())
        )

    pos, last = pl.col("pos"), pl.col("size") - 1
    window = around(own, (pos - k).clip(lower_bound=0), pl.min_horizontal(pos + k, last))
    reach = window.group_by("school_id").agg(reach=pl.col("distance").bottom_k(k).max())
    # Every candidate within `reach` (a margin far above rounding, then the exact test).
    own = own.join(reach, on="school_id").with_columns(
        low=pl.col("pct") - pl.col("reach") - 1e-9, high=pl.col("pct") + pl.col("reach") + 1e-9
    )
    values = members.group_by("pool", "pct").agg(
        first=pl.col("pos").min(), last=pl.col("pos").max()
    )
    values = values.sort("pct")
    own = own.sort("low").join_asof(
        values.select("pool", "pct", "first"),
        left_on="low",
        right_on="pct",
        by="pool",
        strategy="forward",
        coalesce=False,
        suffix="_f",
        check_sortedness=False,
    )
    own = own.sort("high").join_asof(
        values.select("pool", "pct", "last"),
        left_on="high",
        right_on="pct",
        by="pool",
        strategy="backward",
        coalesce=False,
        suffix="_l",
        check_sortedness=False,
    )
    return (
        around(own, pl.col("first"), pl.col("last"))
        .filter(pl.col("distance") <= pl.col("reach"))
        .sort("school_id", "distance", "peer_id")
        .with_columns(rank=pl.int_range(1, pl.len() + 1).over("school_id"))
        .filter(pl.col("rank") <= k)
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
    g, keys = _eligible(groups, m, year)
    mean = pl.col("n") * pl.col("mean_score")
    pm = mean.sum() / pl.col("n").sum()
    # Peers in id order, so that each pooled sum adds them in that order (deterministic); the
    # rows of a (school, group) made contiguous by a stable sort on one integer key, which
    # Polars aggregates by slices (≈ 3× faster than hashing 11 million rows nationally; its
    # float sums associate differently from the hashed ones: results within ≈ 1e-13 relative).
    pooled = (
        peers.select("school_id", "peer_id")
        .sort("school_id", "peer_id")
        .join(g.rename({"school_id": "peer_id"}), on="peer_id", maintain_order="left")
        .with_columns(key=pl.col("school_id") * max(1, keys.height) + pl.col("gid"))
        .sort("key", maintain_order=True)
        .group_by("key", maintain_order=True)
        .agg(
            pl.col("school_id", "gid").first(),
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
        .drop("key")
    )
    return compare(g, pooled, keys, m, labels, "peers")


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
    g, keys = _eligible(groups, m, year)
    g = g.join(schools.select("school_id", scope), on="school_id")
    over = [scope, "gid"]
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
        "gid",
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
    return compare(g, pooled, keys, m, labels, "region")


def _eligible(groups: pl.DataFrame, m: Methodology, year: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The groups of `year` with N ≥ n_min, their procedure group coded as `gid` (the order of
    the codes is that of the keys), and the table of the codes."""
    g = groups.filter((pl.col("year") == year) & (pl.col("n") >= m.param("general.n_min")))
    keys = g.select(G_KEY).unique().sort(G_KEY).with_row_index("gid")
    g = g.join(keys, on=G_KEY, how="left").select(
        "school_id", "gid", "n", "n_fail", "n_fail_known", "mean_score", "score_var"
    )
    return g, keys
