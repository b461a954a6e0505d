"""Risk profile of a school over the 500+ risk factors R01–R11 (METHODOLOGY §4).

For each factor k and each of its indicators i (`risk_profile.factors`):
threshold items give x_i = 1 when the value crosses the threshold (`bad_above`: value ≥ T,
`bad_below`: value < T), else 0; `pct` items give x_i = the regional percentile rank of the value
(`pct_hb`: 1 − rank, higher is better). R_k = Σ w_i x_i / Σ w_i over the indicators with data;
level «высокий» if R_k ≥ `levels.high`, «средний» if ≥ `levels.medium`, else «низкий»; no data →
«нет данных». Priority risks: the top `top_k_priority` by R_k among «высокий»/«средний».
`risk_profile.show` lists figures shown under a factor for reference only (never scored).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from opora.analytics.context_indicators import ContextFigure, context_figures
from opora.analytics.methodology import Methodology
from opora.analytics.ordering import sort_rows
from opora.analytics.schemas import CONTEXT, SCHOOLS, validate_frame
from opora.analytics.stats import percentile_rank
from opora.analytics.text import cat, fmt_num, fmt_pct, formatted

FACTOR_NAMES: dict[str, str] = {
    "R01": "Низкий уровень оснащения школы",
    "R02": "Дефицит педагогических кадров",
    "R03": "Недостаточная предметная и методическая компетентность педагогических работников",
    "R04": "Риски низкой адаптивности учебного и воспитательного процесса",
    "R05": "Несформированность внутришкольной системы повышения квалификации",
    "R06": "Высокая доля обучающихся с рисками учебной неуспешности",
    "R07": "Низкое качество преодоления языковых и культурных барьеров",
    "R08": "Пониженный уровень качества школьной образовательной и воспитательной среды",
    "R09": "Высокая доля обучающихся с ОВЗ",
    "R10": "Низкая учебная мотивация обучающихся",
    "R11": "Низкий уровень вовлеченности родителей",
}
LEVEL_HIGH, LEVEL_MEDIUM, LEVEL_LOW, LEVEL_NONE = "высокий", "средний", "низкий", "нет данных"

FAIL_SHARE = ContextFigure(
    "fail_share_students",
    "Доля результатов «2» (ниже минимума) в оценочных процедурах",
    "share",
    pl.col("fail_share_students"),
)


@dataclass(frozen=True)
class RiskProfile:
    """`factors`: one row per school × year × factor; `items`: the figures behind each factor."""

    factors: pl.DataFrame
    items: pl.DataFrame


def _item_rows(m: Methodology) -> list[tuple[str, str, str, float | None, float, bool]]:
    """(factor, indicator, mode, threshold, weight, scored) for every configured item."""
    default_weight = float(m.param("risk_profile.default_weight"))
    rows: list[tuple[str, str, str, float | None, float, bool]] = []
    for factor, items in m.param("risk_profile.factors").items():
        for code, spec in items.items():
            if isinstance(spec, str):
                rows.append((factor, code, spec, None, default_weight, True))
            else:
                mode = "bad_above" if "bad_above" in spec else "bad_below"
                weight = float(spec.get("weight", default_weight))
                rows.append((factor, code, mode, float(spec[mode]), weight, True))
    for factor, codes in m.param("risk_profile.show").items():
        for code in codes:
            rows.append((factor, code, "show", None, 0.0, False))
    return rows


def risk_profile(
    context: pl.DataFrame,
    schools: pl.DataFrame,
    methodology: Methodology,
    groups: pl.DataFrame | None = None,
) -> RiskProfile:
    """Score every factor for every school-year of `context` (optionally with result groups for R06)."""
    m = methodology
    context = validate_frame(context, CONTEXT)
    schools = validate_frame(schools, SCHOOLS)
    scope = f"{m.param('methodology.reference_scope')}_id"
    figures = {
        **context_figures(float(m.param("risk_profile.hours_per_rate"))),
        FAIL_SHARE.code: FAIL_SHARE,
    }
    base = context.lazy().join(
        schools.lazy().select("school_id", scope), on="school_id", how="inner"
    )
    if groups is not None:
        fails = (
            groups.lazy()
            .group_by("school_id", "year")
            .agg(fail_share_students=pl.col("n_fail").sum() / pl.col("n_fail_known").sum())
        )
        base = base.join(fails, on=["school_id", "year"], how="left")
    else:
        base = base.with_columns(fail_share_students=pl.lit(None, pl.Float64))
    parts = []
    for factor, code, mode, threshold, weight, scored in _item_rows(m):
        figure = figures[code]
        parts.append(
            base.select(
                "school_id",
                "year",
                scope,
                factor=pl.lit(factor),
                indicator=pl.lit(code),
                mode=pl.lit(mode),
                threshold=pl.lit(threshold, pl.Float64),
                weight=pl.lit(weight),
                scored=pl.lit(scored),
                value=figure.value.cast(pl.Float64).fill_nan(None),
                num=(figure.num if figure.num is not None else pl.lit(None)).cast(pl.Float64),
                den=(figure.den if figure.den is not None else pl.lit(None)).cast(pl.Float64),
            )
        )
    rank = percentile_rank("value", [scope, "year", "factor", "indicator"])
    items = (
        pl.concat(parts)
        .with_columns(rank=rank)
        .with_columns(
            x=pl.when(pl.col("value").is_null() | ~pl.col("scored"))
            .then(None)
            .when(pl.col("mode") == "bad_above")
            .then((pl.col("value") >= pl.col("threshold")).cast(pl.Float64))
            .when(pl.col("mode") == "bad_below")
            .then((pl.col("value") < pl.col("threshold")).cast(pl.Float64))
            .when(pl.col("mode") == "pct")
            .then(pl.col("rank"))
            .otherwise(1 - pl.col("rank"))
        )
        .drop(scope)
        .collect()
    )
    items = sort_rows(
        items,
        ["school_id", "year", "factor", "scored", "indicator"],
        [False, False, False, True, False],
    )
    items = items.with_columns(text=_item_texts(items, figures))
    return RiskProfile(factors=_factors(items, m), items=items)


def _item_texts(items: pl.DataFrame, figures: dict[str, ContextFigure]) -> pl.Series:
    """`_item_text` of every row, as Polars expressions over numbers formatted once per distinct
    value (millions of items at national scale; the same text, see tests)."""
    indicator = pl.col("indicator")
    label = indicator.replace_strict(
        {code: f.label for code, f in figures.items()}, return_dtype=pl.String
    )
    unit = indicator.replace_strict(
        {code: f" {f.unit}" if f.unit else "" for code, f in figures.items()},
        return_dtype=pl.String,
    )
    share = indicator.is_in([code for code, f in figures.items() if f.kind == "share"])
    texts = {
        f"_{column}_{kind}": formatted(items[column], int(kind[-1]), kind.startswith("pct"))
        for column, kinds in {
            "value": ("pct0", "num0", "num1"),
            "threshold": ("pct0", "num0", "num1"),
            "num": ("num0",),
            "den": ("num0",),
            "x": ("num0", "num2"),
            "rank": ("pct0",),
        }.items()
        for kind in kinds
    }
    value, t, mode = pl.col("value"), pl.col("threshold"), pl.col("mode")

    def plain(v: pl.Expr, name: str) -> pl.Expr:  # one digit if not whole (Python: `v % 1`)
        return pl.when(v != v.floor()).then(pl.col(f"_{name}_num1")).otherwise(f"_{name}_num0")

    counts = (
        pl.when(pl.col("num").is_not_null() & pl.col("den").is_not_null())
        .then(cat(" (", pl.col("_num_num0"), " из ", pl.col("_den_num0"), ")"))
        .otherwise(pl.lit(""))
    )
    head = cat(
        label,
        ": ",
        pl.when(share)
        .then(cat(pl.col("_value_pct0"), counts))
        .otherwise(cat(plain(value, "value"), unit)),
    )
    threshold = cat(
        "; порог риска ",
        pl.when(mode == "bad_above").then(pl.lit("≥")).otherwise(pl.lit("<")),
        " ",
        pl.when(share).then(pl.col("_threshold_pct0")).otherwise(plain(t, "threshold")),
        " — ",
        pl.when(pl.col("x") == 1).then(pl.lit("зона риска")).otherwise(pl.lit("вне зоны риска")),
        " (x = ",
        pl.col("_x_num0"),
        ")",
    )
    rank = cat(
        "; процентиль по региону ",
        pl.col("_rank_pct0"),
        " (",
        pl.when(mode == "pct").then(pl.lit("выше — хуже")).otherwise(pl.lit("выше — лучше")),
        "), x = ",
        pl.col("_x_num2"),
    )
    text = (
        pl.when(value.is_null())
        .then(cat(label, ": нет данных"))
        .when(mode == "show")
        .then(cat(head, " (справочно)"))
        .when(mode.is_in(["bad_above", "bad_below"]))
        .then(cat(head, threshold))
        .otherwise(cat(head, rank))
    )
    return items.with_columns(**texts).select(text.alias("text")).get_column("text")


def _value_text(row: dict, figure: ContextFigure) -> str:
    value = row["value"]
    if figure.kind == "share":
        text = fmt_pct(value, 0)
        if row["num"] is not None and row["den"] is not None:
            text += f" ({fmt_num(row['num'], 0)} из {fmt_num(row['den'], 0)})"
        return text
    unit = f" {figure.unit}" if figure.unit else ""
    return f"{fmt_num(value, 1 if value % 1 else 0)}{unit}"


def _item_text(row: dict, figures: dict[str, ContextFigure]) -> str:
    figure = figures[row["indicator"]]
    if row["value"] is None:
        return f"{figure.label}: нет данных"
    head = f"{figure.label}: {_value_text(row, figure)}"
    mode = row["mode"]
    if mode == "show":
        return f"{head} (справочно)"
    if mode in ("bad_above", "bad_below"):
        t = row["threshold"]
        t_text = fmt_pct(t, 0) if figure.kind == "share" else fmt_num(t, 1 if t % 1 else 0)
        sign = "≥" if mode == "bad_above" else "<"
        zone = "зона риска" if row["x"] == 1 else "вне зоны риска"
        return f"{head}; порог риска {sign} {t_text} — {zone} (x = {fmt_num(row['x'], 0)})"
    direction = "выше — хуже" if mode == "pct" else "выше — лучше"
    return f"{head}; процентиль по региону {fmt_pct(row['rank'], 0)} ({direction}), x = {fmt_num(row['x'], 2)}"


def _factors(items: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    high = m.param("risk_profile.levels.high")
    medium = m.param("risk_profile.levels.medium")
    top_k = m.param("risk_profile.top_k_priority")
    scored = pl.col("x").is_not_null()
    factors = (
        items.group_by("school_id", "year", "factor")
        .agg(
            score=pl.when(scored.any()).then(
                pl.when(scored).then(pl.col("x") * pl.col("weight")).sum()
                / pl.when(scored).then(pl.col("weight")).sum()
            ),
            reasons=pl.col("text"),
        )
        .with_columns(
            factor_name=pl.col("factor").replace_strict(FACTOR_NAMES, default=pl.col("factor")),
            level=pl.when(pl.col("score").is_null())
            .then(pl.lit(LEVEL_NONE))
            .when(pl.col("score") >= high)
            .then(pl.lit(LEVEL_HIGH))
            .when(pl.col("score") >= medium)
            .then(pl.lit(LEVEL_MEDIUM))
            .otherwise(pl.lit(LEVEL_LOW)),
        )
        .sort("school_id", "year", "factor")
    )
    candidate = pl.col("level").is_in([LEVEL_HIGH, LEVEL_MEDIUM])
    order = (
        factors.filter(candidate)
        .sort(["school_id", "year", "score", "factor"], descending=[False, False, True, False])
        .with_columns(rank=pl.int_range(pl.len()).over("school_id", "year"))
        .filter(pl.col("rank") < top_k)
        .select("school_id", "year", "factor", is_priority=pl.lit(True))
    )
    factors = factors.join(order, on=["school_id", "year", "factor"], how="left").with_columns(
        pl.col("is_priority").fill_null(False)
    )
    return factors.select(
        "school_id", "year", "factor", "factor_name", "score", "level", "is_priority", "reasons"
    ).sort("school_id", "year", "factor")
