"""Social well-being index of a school (ИСБШ) and schools in difficult social conditions (ССУ),
METHODOLOGY §6.

z_j = (x_j − mean_j) / sd_j over the schools of the reference scope in the year; ISB_raw =
Σ w_j sign_j z_j / Σ w_j (sign +1 for HE2, −1 otherwise; equal weights); ISB = mean + sd ·
ISB_raw / sd(ISB_raw) (a T-score with `isb.scale`), percentile 0–100 (Hazen, ties averaged).
A school with ≥ `min_coverage` of the variables gets the index (missing ones imputed by the
scope's median, flagged `partial`); below that, none. Variables no school of the scope reports are
left out for the whole scope (named in the reasons). ССУ = percentile ≤ `ssu_percentile` OR
≥ `ssu_min_flags` binary context flags (`isb.flags`, and rural if `rural_is_flag`).
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.ordering import group_key, sort_rows
from opora.analytics.schemas import CONTEXT, SCHOOLS, validate_frame
from opora.analytics.stats import fold_sum, percentile_rank
from opora.analytics.text import cat, fmt_num, fmt_pct, formatted

# Variable → (context column in percent, Russian label)
VARIABLES: dict[str, tuple[str, str]] = {
    "HE2": ("parents_higher_ed_share", "родители с высшим образованием"),
    "SP": ("single_parent_share", "неполные семьи"),
    "UNEMP": ("unemployed_parents_share", "семьи с безработными родителями"),
    "LOWINC": ("low_income_share", "малообеспеченные семьи"),
    "MANY": ("large_families_share", "многодетные семьи"),
    "NNR": ("rkn_share", "обучающиеся с русским как неродным"),
    "REG": ("registered_share", "обучающиеся на профилактическом учёте"),
    "OVZ": ("ovz_share", "обучающиеся с ОВЗ"),
}
POSITIVE = {"HE2"}


def social_index(
    context: pl.DataFrame, schools: pl.DataFrame, methodology: Methodology
) -> pl.DataFrame:
    """ИСБШ, its percentile, context flags and ССУ for every school-year of `context`."""
    m = methodology
    context = validate_frame(context, CONTEXT)
    schools = validate_frame(schools, SCHOOLS)
    scope = f"{m.param('methodology.reference_scope')}_id"
    over = ["_scope_year"]  # scope × year as one integer: windows over it are faster
    variables = list(m.param("isb.variables"))
    flags = dict(m.param("isb.flags"))
    # Sorted so that window sums (mean, sd) do not depend on the order of input rows.
    frame = context.join(
        schools.select("school_id", scope, "is_urban"), on="school_id", how="inner"
    ).sort(scope, "year", "school_id")
    frame = frame.with_columns(_scope_year=group_key(frame, [scope, "year"]))
    frame = frame.with_columns(
        [(pl.col(VARIABLES[v][0]) / 100).alias(v) for v in set(variables) | set(flags)]
    )
    collected = [
        pl.col(v).is_not_null().any().over(over).alias(f"_{v}_collected") for v in variables
    ]
    frame = frame.with_columns(collected)
    n_collected = pl.sum_horizontal([pl.col(f"_{v}_collected").cast(pl.Int64) for v in variables])
    n_present = pl.sum_horizontal(
        [(pl.col(v).is_not_null() & pl.col(f"_{v}_collected")).cast(pl.Int64) for v in variables]
    )
    frame = frame.with_columns(
        coverage=pl.when(n_collected > 0).then(n_present / n_collected),
    ).with_columns(has_index=pl.col("coverage") >= m.param("isb.min_coverage"))
    terms = []
    for v in variables:
        filled = pl.col(v).fill_null(pl.col(v).filter(pl.col("has_index")).median().over(over))
        sd = pl.col(v).std(ddof=1).over(over)
        z = pl.when(sd > 0).then((filled - pl.col(v).mean().over(over)) / sd)
        sign = 1 if v in POSITIVE else -1
        terms.append(pl.when(pl.col(f"_{v}_collected")).then(sign * z).alias(f"_{v}_term"))
    frame = frame.with_columns(terms)
    term_cols = [pl.col(f"_{v}_term") for v in variables]
    raw = fold_sum(term_cols) / pl.sum_horizontal(
        [t.is_not_null().cast(pl.Int64) for t in term_cols]
    )
    mean, sd = m.param("isb.scale.mean"), m.param("isb.scale.sd")
    frame = (
        frame.with_columns(isb_raw=pl.when(pl.col("has_index")).then(raw).fill_nan(None))
        .with_columns(isb=mean + sd * pl.col("isb_raw") / pl.col("isb_raw").std(ddof=1).over(over))
        .with_columns(
            isb=pl.col("isb").fill_nan(None), isb_percentile=percentile_rank("isb", over) * 100
        )
    )
    flag_exprs = [(pl.col(v) >= t).fill_null(False).cast(pl.Int64) for v, t in flags.items()]
    if m.param("isb.rural_is_flag"):
        flag_exprs.append((~pl.col("is_urban")).cast(pl.Int64))
    frame = (
        frame.with_columns(context_flags=pl.sum_horizontal(flag_exprs))
        .with_columns(
            partial=pl.col("has_index") & (pl.col("coverage") < 1),
            ssu_by_index=(pl.col("isb_percentile") <= m.param("isb.ssu_percentile")).fill_null(
                False
            ),
            ssu_by_flags=pl.col("context_flags") >= m.param("isb.ssu_min_flags"),
        )
        .with_columns(is_ssu=pl.col("ssu_by_index") | pl.col("ssu_by_flags"))
    )
    frame = sort_rows(frame, ["school_id", "year"])
    # Numbers formatted once per distinct value, then the reasons by concatenation.
    texts = {
        "_isb": formatted(frame["isb"], 1),
        "_pct": formatted(frame["isb_percentile"], 0),
        "_coverage": formatted(frame["coverage"].fill_null(0.0), 0, pct=True),
        **{f"_{v}": formatted(frame[v], 0, pct=True) for v in flags},
    }
    frame = frame.with_columns(**texts).with_columns(_raised=_raised(flags, m))
    return frame.select(
        "school_id",
        "year",
        "isb",
        "isb_percentile",
        "coverage",
        "partial",
        "context_flags",
        "is_ssu",
        reasons=_reasons(m),
    )


def _raised(flags: dict[str, float], m: Methodology) -> pl.Expr:
    """The context flags a school raises, as texts."""
    raised = [
        pl.when(pl.col(v).is_not_null() & ~pl.col(v).is_nan() & (pl.col(v) >= t)).then(
            cat(f"{VARIABLES[v][1]} ", pl.col(f"_{v}"), f" (порог {fmt_pct(t, 0)})")
        )
        for v, t in flags.items()
    ]
    if m.param("isb.rural_is_flag"):
        raised.append(pl.when(~pl.col("is_urban")).then(pl.lit("сельская школа")))
    return pl.concat_list(raised).list.drop_nulls()


def _reasons(m: Methodology) -> pl.Expr:
    """The Russian reasons of every row, as one expression: the index (or why there is none),
    ССУ by the percentile, then the context flags raised."""
    isb = pl.col("isb")
    index = (
        pl.when(isb.is_null())
        .then(
            cat(
                "ИСБШ не рассчитан: известно ",
                pl.col("_coverage"),
                f" показателей (нужно не менее {fmt_pct(m.param('isb.min_coverage'), 0)}).",
            )
        )
        .otherwise(
            cat(
                "ИСБШ ",
                pl.col("_isb"),
                ", процентиль ",
                pl.col("_pct"),
                " по региону",
                pl.when(pl.col("partial"))
                .then(pl.lit(" (часть показателей заменена медианой региона)"))
                .otherwise(pl.lit("")),
                ".",
            )
        )
    )
    by_index = pl.when(isb.is_not_null() & pl.col("is_ssu") & pl.col("ssu_by_index")).then(
        cat(
            "ССУ: процентиль ИСБШ ",
            pl.col("_pct"),
            f" ≤ {fmt_num(m.param('isb.ssu_percentile'), 0)}.",
        )
    )
    items = pl.col("_raised")
    by_flags = pl.when(items.list.len() > 0).then(
        cat(
            pl.when(pl.col("ssu_by_flags")).then(pl.lit("ССУ: ")).otherwise(pl.lit("")),
            "контекстные факторы (",
            items.list.len().cast(pl.String),
            "): ",
            items.list.join("; "),
            ".",
        )
    )
    return pl.concat_list(index, by_index, by_flags).list.drop_nulls()
