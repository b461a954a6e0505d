"""Distribution anomalies among the objectivity markers (METHODOLOGY §5.2): M4, M4T.

* M4 — pile-ups at mark boundaries: cut c = the lowest primary score given mark k ∈ {3, 4, 5} in
  the scope; B = (f(c) + f(c+1)) / (f(c−2) + f(c−1) + eps), eps = `eps_per_participant` / N;
  ratio = B_school / B_scope; fires when N ≥ `m4.n_min`, max ratio ≥ `m4.ratio` and the pile-up
  is significant (exact one-sided binomial test on the four scores c−2…c+1 against the scope's
  share, p < `m4.alpha` after a Bonferroni correction over the cuts; added so that a handful of
  students in small groups cannot fire it).
* M4T — top-heavy distribution: share of «5» ≥ the scope's `m4_top.top_pct` quantile, «5» is
  the most frequent mark, and the share exceeds the scope's pooled share by an exact one-sided
  binomial test at `m4_top.alpha` (N ≥ `m4_top.n_min`, scope with ≥ `min_schools` schools).
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_registry import vpr_unit_filter, with_binom_p
from opora.analytics.objectivity_scores import UNIT, finish
from opora.analytics.schemas import collect
from opora.analytics.stats import percentile_rank
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num, fmt_p, fmt_pct


def m4(students, schools, m: Methodology, scope: str, labels: Labels = DEFAULT_LABELS):
    """M4 signals: pile-ups of primary scores right at a mark boundary."""
    p = m.param("objectivity.m4")
    eps = float(p["eps_per_participant"])
    rows = (
        students.lazy()
        .filter(
            vpr_unit_filter(m)
            & pl.col("period").is_in(list(m.param("general.periods")))
            & pl.col("primary_score").is_not_null()
            & pl.col("mark").is_not_null()
        )
        .select("school_id", "year", *UNIT, "primary_score", "mark")
        .join(schools.lazy().select("school_id", scope), on="school_id")
    )
    gk = [scope, "year", *UNIT]
    cuts = collect(
        rows.filter(pl.col("mark") >= 3)
        .group_by([*gk, "mark"])
        .agg(c=pl.col("primary_score").min())
        .rename({"mark": "cut_mark"})
    )
    # One streaming pass: per school and unit, N and, for every cut c, the students on c, c+1
    # ("top") and on c−2, c−1 ("bottom"); the scope's figures are their sums.
    marks = sorted(set(cuts["cut_mark"].to_list()))
    wide = cuts.group_by(gk).agg(
        **{f"_c{k}": pl.col("c").filter(pl.col("cut_mark") == k).first() for k in marks}
    )
    x = {k: pl.col("primary_score") - pl.col(f"_c{k}") for k in marks}
    per_school = collect(
        rows.join(wide.lazy(), on=gk)
        .group_by([*gk, "school_id"])
        .agg(
            n=pl.len(),
            **{f"_top{k}": x[k].is_between(0, 1).sum() for k in marks},
            **{f"_bottom{k}": x[k].is_between(-2, -1).sum() for k in marks},
        )
    )
    per_scope = per_school.group_by(gk).agg(pl.exclude("school_id").sum())

    def bunching(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
        """One row per unit and cut with a student on c−2…c+1: top, bottom, n, B."""
        parts = [
            frame.select(
                *keys,
                "n",
                cut_mark=pl.lit(k, cuts.schema["cut_mark"]),
                top=pl.col(f"_top{k}"),
                bottom=pl.col(f"_bottom{k}"),
            ).filter(pl.col("top") + pl.col("bottom") > 0)
            for k in marks
        ]
        empty = (
            frame.select(*keys, "n")
            .clear()
            .with_columns(
                cut_mark=pl.lit(None, cuts.schema["cut_mark"]),
                top=pl.lit(None, pl.UInt32),
                bottom=pl.lit(None, pl.UInt32),
            )
        )
        return (
            pl.concat([empty, *parts])
            .join(cuts, on=[*gk, "cut_mark"])
            .with_columns(
                b=(pl.col("top") / pl.col("n"))
                / (pl.col("bottom") / pl.col("n") + eps / pl.col("n"))
            )
        )

    school_b = bunching(per_school, [*gk, "school_id"])
    region_b = bunching(per_scope, gk)
    out = (
        school_b.join(region_b.select(*gk, "cut_mark", b_r="b"), on=[*gk, "cut_mark"])
        .filter((pl.col("b_r") > 0) & (pl.col("n") >= p["n_min"]))
        .with_columns(ratio=pl.col("b") / pl.col("b_r"))
        .join(
            region_b.select(*gk, "cut_mark", r_top="top", r_bottom="bottom"), on=[*gk, "cut_mark"]
        )
        .with_columns(cuts=pl.len().over([*gk, "school_id"]))
    )
    # Exact binomial test of the cuts that reach the ratio: of the school's students on c−2…c+1,
    # are those on c, c+1 more than the scope's share predicts? Bonferroni over the group's cuts.
    out = with_binom_p(
        out,
        "p_value",
        pl.col("top"),
        pl.col("top") + pl.col("bottom"),
        pl.col("r_top") / (pl.col("r_top") + pl.col("r_bottom")),
        pl.col("ratio") >= p["ratio"],
    ).with_columns(p_value=(pl.col("p_value") * pl.col("cuts")).clip(upper_bound=1.0))
    out = (
        out.sort([*gk, "school_id", "ratio", "cut_mark"], descending=[False] * 5 + [True, False])
        .group_by([*gk, "school_id"], maintain_order=True)
        .first()
        .with_columns(
            marker=pl.lit("M4"),
            procedure=pl.lit("vpr"),
            value=pl.col("ratio"),
            threshold=pl.lit(float(p["ratio"])),
            reference=pl.col("b_r"),
            fired=((pl.col("ratio") >= p["ratio"]) & (pl.col("p_value") < p["alpha"])).fill_null(
                False
            ),
        )
    )
    informative = int(p["n_informative"])

    def text(r: dict) -> str:
        note = "" if r["n"] >= informative else f"; N < {informative} — сигнал ориентировочный"
        return (
            f"{labels.group('vpr', r['subject'], r['grade'], r['year'])}: пик на границе отметки "
            f"«{r['cut_mark']}» ({r['c']} перв. б.) — в {fmt_num(r['value'], 1)} раза выше, чем по "
            f"региону (порог {fmt_num(r['threshold'], 1)}; точный биномиальный критерий "
            f"{fmt_p(r['p_value'])}); N = {r['n']}{note}"
        )

    return finish(out, text)


def m4_top(groups, schools, m: Methodology, scope: str, labels: Labels = DEFAULT_LABELS):
    """M4T signals: a distribution of marks piled at «5»."""
    p = m.param("objectivity.m4_top")
    over = [scope, "year", *UNIT]
    n3 = pl.col("n_marked") - pl.col("n_fail") - pl.col("n_good")
    out = (
        groups.filter(
            vpr_unit_filter(m)
            & (pl.col("n_marked") >= max(p["n_min"], m.param("general.n_min")))
            & pl.col("n_top").is_not_null()
        )
        .join(schools.select("school_id", scope), on="school_id")
        .with_columns(value=pl.col("n_top") / pl.col("n_marked"))
        .with_columns(
            threshold=pl.col("value").quantile(p["top_pct"], "linear").over(over),
            reference=pl.col("n_top").sum().over(over) / pl.col("n_marked").sum().over(over),
            schools_n=pl.len().over(over),
            mode_top=pl.col("n_top")
            > pl.max_horizontal(pl.col("n_good") - pl.col("n_top"), n3, pl.col("n_fail")),
        )
        .filter(pl.col("schools_n") >= p["min_schools"])
        .with_columns(
            marker=pl.lit("M4T"),
            n=pl.col("n_marked"),
            top=(percentile_rank("value", over) >= p["top_pct"]) & pl.col("mode_top"),
        )
    )
    out = with_binom_p(
        out, "p_value", pl.col("n_top"), pl.col("n_marked"), pl.col("reference"), pl.col("top")
    ).with_columns(fired=(pl.col("top") & (pl.col("p_value") < p["alpha"])).fill_null(False))

    def text(r: dict) -> str:
        return (
            f"{labels.group('vpr', r['subject'], r['grade'], r['year'])}: «5» у "
            f"{fmt_pct(r['value'])} участников (самая частая отметка) при {fmt_pct(r['reference'])} "
            f"по региону; порог {fmt_pct(r['threshold'])}; точный биномиальный критерий "
            f"{fmt_p(r['p_value'])}; N = {r['n']}"
        )

    return finish(out, text)
