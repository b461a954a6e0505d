"""Evidence and Russian reasons of the ШНОР decision (METHODOLOGY §2), built as Polars
expressions over every school (see `text.num_expr`: the same text as `fmt_num`)."""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.text import Labels, cat, fmt_pct, num_expr, pct_expr

P_KEY = ["procedure", "subject", "grade"]


def shnor_evidence(r1_rows, out, group_z, z, year: int, m: Methodology) -> pl.DataFrame:
    """One row per (school, rule, procedure, subject, grade, year) behind a flag: R1 hits of
    the year (and the persistent ones), and the below-average groups of R2's low years
    (`group_z` = eligible groups with a mean score, their cells' mean and sd, the cell key)."""
    cols = [
        "school_id",
        "rule",
        "procedure",
        "subject",
        "grade",
        "year",
        "measure",
        "n",
        "count",
        "value",
        "reference",
        "threshold",
    ]
    r1_schools = out.filter(pl.col("r1")).select("school_id")
    r1_ev = (
        r1_rows.join(r1_schools, on="school_id", how="semi")
        .filter((pl.col("year") == year) | pl.col("persistent").fill_null(False))
        .select(
            "school_id",
            pl.lit("R1").alias("rule"),
            *P_KEY,
            "year",
            pl.when(pl.col("n_marked") > 0)
            .then(pl.lit("fail_2"))
            .otherwise(pl.lit("fail_min"))
            .alias("measure"),
            pl.col("n_fail_known").alias("n"),
            pl.col("n_fail").alias("count"),
            pl.col("fail_share").alias("value"),
            pl.col("scope_fail_share").alias("reference"),
            pl.lit(float(m.param("shnor.r1.t_fail"))).alias("threshold"),
        )
    )
    low_years = (
        z.filter(pl.col("low"))
        .select("school_id", "year")
        .join(out.filter(pl.col("r2")).select("school_id"), on="school_id", how="semi")
    )
    scored, cells, cell = group_z
    r2_ev = (
        scored.join(low_years, on=["school_id", "year"], how="semi")
        .join(cells, on=cell)
        .with_columns(
            zg=pl.when(pl.col("_sd") > 0).then(
                (pl.col("mean_score") - pl.col("reference")) / pl.col("_sd")
            )
        )
        .filter(pl.col("zg") < 0)
        .select(
            "school_id",
            pl.lit("R2").alias("rule"),
            *P_KEY,
            "year",
            pl.lit("mean_score").alias("measure"),
            "n",
            pl.lit(None, pl.Int64).alias("count"),
            pl.col("mean_score").alias("value"),
            "reference",
            pl.col("zg").alias("threshold"),
        )
    )
    return pl.concat([r1_ev.select(cols), r2_ev.select(cols)]).sort(
        ["school_id", "rule", "year", "procedure", "subject", "grade"]
    )


def shnor_reasons(
    out: pl.DataFrame, evidence: pl.DataFrame, z: pl.DataFrame, m: Methodology, labels: Labels
) -> pl.Series:
    """The reasons of every school of `out` (in its order): «not evaluated», R1, R2 with its low
    years, then one line per evidence row (evidence is there only for R1 or R2 schools). Built
    for the schools that have any; the others get an empty list."""
    some = out.filter(~pl.col("evaluated") | pl.col("r1") | pl.col("r2"))
    texts = some.select("school_id").with_columns(reasons=_reasons(some, evidence, z, m, labels))
    return (
        out.select("school_id")
        .join(texts, on="school_id", how="left", maintain_order="left")
        .select(pl.col("reasons").fill_null(pl.lit([], pl.List(pl.String))))
        .get_column("reasons")
    )


def _reasons(
    out: pl.DataFrame, evidence: pl.DataFrame, z: pl.DataFrame, m: Methodology, labels: Labels
) -> pl.Series:
    t_fail, q_low = m.param("shnor.r1.t_fail"), m.param("shnor.r2.q_low")
    group = labels.group_expr()
    measure = (
        pl.when(pl.col("measure") == "fail_2")
        .then(pl.lit("доля «2»"))
        .otherwise(pl.lit("доля ниже минимального балла"))
    )
    r1_line = cat(
        group,
        ": ",
        measure,
        " ",
        pct_expr(pl.col("value")),
        " (",
        pl.col("count").cast(pl.String),
        " из ",
        pl.col("n").cast(pl.String),
        ") при ",
        pct_expr(pl.col("reference")),
        " по региону; порог ",
        pct_expr(pl.col("threshold")),
    )
    r2_line = cat(
        group,
        ": средний балл ",
        num_expr(pl.col("value")),
        " при ",
        num_expr(pl.col("reference")),
        " по региону (z = ",
        num_expr(pl.col("threshold"), 2),
        ")",
    )
    # Each rule's line on its own rows, then back in the evidence order.
    indexed = evidence.with_row_index("_i")
    lines = (
        pl.concat(
            [
                indexed.filter(pl.col("rule") == "R1").select("_i", "school_id", line=r1_line),
                indexed.filter(pl.col("rule") != "R1").select("_i", "school_id", line=r2_line),
            ]
        )
        .sort("_i")
        .group_by("school_id", maintain_order=True)
        .agg(_lines=pl.col("line"))
    )
    low_years = (
        z.filter(pl.col("low"))
        .sort("school_id", "year")
        .group_by("school_id", maintain_order=True)
        .agg(
            _years=cat(
                pl.col("year").cast(pl.String),
                ": процентиль ",
                pct_expr(pl.col("pct")),
                ", Z = ",
                num_expr(pl.col("Zshr"), 2),
            ).str.join("; ")
        )
    )
    not_evaluated = (
        f"Не оценивается: нет процедур с числом участников не менее {m.param('shnor.n_min')}."
    )
    r1 = cat(
        "R1: в ",
        pl.col("year").cast(pl.String),
        f" году {fmt_pct(t_fail)} и более «2» (ниже минимума) в ",
        pl.col("r1_hits").cast(pl.String),
        f" процедурах (нужно не менее {m.param('shnor.r1.k_proc')}); в ",
        pl.col("r1_persistent").cast(pl.String),
        f" из них — подряд {m.param('shnor.r1.persistence_years')} года.",
    )
    r2 = cat(
        f"R2: сводный результат в нижних {fmt_pct(q_low)} региона в ",
        pl.col("r2_low_years").cast(pl.String),
        f" из {m.param('shnor.r2.years_window')} лет (",
        pl.col("_years"),
        ").",
    )
    empty = pl.lit([], pl.List(pl.String))
    return (
        out.select(
            "school_id", "evaluated", "year", "r1", "r1_hits", "r1_persistent", "r2", "r2_low_years"
        )
        .join(low_years, on="school_id", how="left", maintain_order="left")
        .join(lines, on="school_id", how="left", maintain_order="left")
        .select(
            pl.concat_list(
                pl.concat_list(
                    pl.when(~pl.col("evaluated")).then(pl.lit(not_evaluated)),
                    pl.when(pl.col("r1")).then(r1),
                    pl.when(pl.col("r2")).then(r2),
                ).list.drop_nulls(),
                pl.col("_lines").fill_null(empty),
            ).alias("reasons")
        )
        .get_column("reasons")
    )
