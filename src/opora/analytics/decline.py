"""Decline risk and the forecast of entry into the ШНОР list next year (METHODOLOGY §9).

    dZ[s,y]      = Zshr[s,y] − Zshr[s,y−1]
    D1[s,y]      = dZ[s,y] ≤ −delta AND dZ[s,y−1] ≤ −delta
    D2[s,y]      = count_p(F[s,p,y] − F[s,p,y−1] ≥ fail_rise_pp / 100) ≥ k_rise   (N ≥ n_min both years)
    DECLINE[s,y] = NOT ШНОР[s,y] AND (D1 OR D2) AND percentile(Zshr) ≤ max_percentile

Forecast («риск попадания в список ШНОР в следующем году»): population = schools not in the list
in year t; label = in the list in t+1; features `forecast.features` at t (standardised on the
training set, missing → the training mean); L2 logistic regression (`forecast.fit_logit`,
C = `l2_c`). Rule of use (documented, deterministic):
1. training transitions t → t+1 with t+1 ≤ y; fewer than `min_transition_years` transition
   years or fewer than `min_positive_labels` entries → fall back to D1;
2. rolling-origin check: fit on transitions before the last, score the last; if
   `require_beats_baseline` and its ROC AUC is below the better baseline (D1, or percentile(Zshr)
   ≤ 2·q_low) → fall back to D1;
3. otherwise refit on all transitions and predict for year y: watch when P ≥ `p_watch`, with the
   `top_contributions` largest positive b_k·x_k in the reasons.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.forecast import auc, fit_logit
from opora.analytics.methodology import Methodology
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num, fmt_pp

FEATURES = {
    "zshr": "сводный результат Zshr",
    "dz": "изменение Z за год",
    "dz_prev": "изменение Z за предыдущий год",
    "max_fail_share": "наибольшая доля «2»",
    "r1_hits": "процедур с долей «2» выше порога",
    "low": "в нижней части региона",
    "isb_pct": "процентиль ИСБШ",
    "rural": "сельская школа",
    "log_students": "ln(число обучающихся)",
    "has_signs": "признаки необъективности",
}


def decline_features(
    composite: pl.DataFrame,
    shnor_years: pl.DataFrame,
    groups: pl.DataFrame,
    covariates: pl.DataFrame,
    objectivity: pl.DataFrame | None,
    m: Methodology,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per school × year: Zshr, dz, dz_prev, D2 rises and the forecast features; and the rises.

    `groups` = `shnor.eligible_groups(...)`; `shnor_years` = `identify_shnor(...).schools` of
    several years; `covariates` = `context_fit.covariate_frame(...)`.
    """
    rise = m.param("decline.fail_rise_pp") / 100
    eligible = groups.filter(pl.col("eligible") & pl.col("fail_share").is_not_null())
    key = ["school_id", "procedure", "subject", "grade"]
    rises = (
        eligible.select(*key, "year", "fail_share")
        .join(eligible.select(*key, year=pl.col("year") + 1, prev="fail_share"), on=[*key, "year"])
        .with_columns(delta=pl.col("fail_share") - pl.col("prev"))
        .filter(pl.col("delta") >= rise)
        .sort("school_id", "year", "procedure", "subject", "grade")
    )
    z = composite.select("school_id", "year", "Zshr", "pct")
    signs = (
        objectivity.select("school_id", "year", "has_signs")
        if objectivity is not None
        else pl.DataFrame(schema={"school_id": pl.Int64, "year": pl.Int64, "has_signs": pl.Boolean})
    )
    frame = (
        z.join(
            z.select("school_id", year=pl.col("year") + 1, z1="Zshr"),
            on=["school_id", "year"],
            how="left",
        )
        .join(
            z.select("school_id", year=pl.col("year") + 2, z2="Zshr"),
            on=["school_id", "year"],
            how="left",
        )
        .join(
            eligible.group_by("school_id", "year").agg(max_fail_share=pl.col("fail_share").max()),
            on=["school_id", "year"],
            how="left",
        )
        .join(
            rises.group_by("school_id", "year").agg(rises=pl.len()),
            on=["school_id", "year"],
            how="left",
        )
        .join(
            shnor_years.select("school_id", "year", "is_shnor", "r1_hits"),
            on=["school_id", "year"],
            how="left",
        )
        .join(
            covariates.select("school_id", "year", "isb_percentile", "RURAL", "log_students"),
            on=["school_id", "year"],
            how="left",
        )
        .join(signs, on=["school_id", "year"], how="left")
        .with_columns(
            zshr=pl.col("Zshr"),
            dz=pl.col("Zshr") - pl.col("z1"),
            dz_prev=pl.col("z1") - pl.col("z2"),
            rises=pl.col("rises").fill_null(0).cast(pl.Int64),
            low=(pl.col("pct") <= m.param("shnor.r2.q_low")).cast(pl.Float64),
            isb_pct=pl.col("isb_percentile"),
            rural=pl.col("RURAL"),
            has_signs=pl.col("has_signs").fill_null(False).cast(pl.Float64),
            r1_hits=pl.col("r1_hits").cast(pl.Float64),
        )
        .sort("school_id", "year")
    )
    return frame, rises


def decline_risk(
    features: pl.DataFrame,
    rises: pl.DataFrame,
    m: Methodology,
    year: int,
    labels: Labels = DEFAULT_LABELS,
) -> tuple[pl.DataFrame, list[str]]:
    """DECLINE and the forecast for every school not in the list in `year`; and warnings."""
    p, f = m.param("decline"), m.param("forecast")
    delta = p["delta"]
    now = features.filter((pl.col("year") == year) & ~pl.col("is_shnor").fill_null(False))
    now = now.with_columns(
        d1=((pl.col("dz") <= -delta) & (pl.col("dz_prev") <= -delta)).fill_null(False),
        d2=pl.col("rises") >= p["k_rise"],
        in_range=(pl.col("pct") <= p["max_percentile"]).fill_null(p["max_percentile"] >= 1.0),
    ).with_columns(decline=(pl.col("d1") | pl.col("d2")) & pl.col("in_range"))
    method, model, warnings = _choose_model(features, m, year)
    names = list(f["features"])
    if model is not None:
        now = model.predict(now.with_columns(pl.col(names).cast(pl.Float64)))
        now = now.with_columns(watch=pl.col("p") >= f["p_watch"])
    else:
        now = now.with_columns(p=pl.lit(None, pl.Float64), watch=pl.col("d1"))
    rise_rows: dict[int, list[dict]] = {}
    for r in rises.filter(pl.col("year") == year).iter_rows(named=True):
        rise_rows.setdefault(r["school_id"], []).append(r)
    now = now.sort("school_id")
    reasons = [
        _reasons(row, rise_rows.get(row["school_id"], []), method, names, m, labels)
        for row in now.iter_rows(named=True)
    ]
    out = now.select(
        "school_id",
        "year",
        "decline",
        "d1",
        "d2",
        "dz",
        "dz_prev",
        "rises",
        "p",
        "watch",
        forecast_method=pl.lit(method),
    ).with_columns(reasons=pl.Series(reasons, dtype=pl.List(pl.String)))
    return out, warnings


def _choose_model(features: pl.DataFrame, m: Methodology, year: int):
    f = m.param("forecast")
    names = list(f["features"])
    nxt = features.select("school_id", year=pl.col("year") - 1, label=pl.col("is_shnor"))
    train = (
        features.filter((pl.col("year") < year) & (pl.col("is_shnor") == False))  # noqa: E712
        .join(nxt.filter(pl.col("label").is_not_null()), on=["school_id", "year"])
        .with_columns(pl.col(names).cast(pl.Float64))
        .sort("school_id", "year")
    )
    years = sorted(set(train["year"].to_list()))
    positives = int(train["label"].sum()) if train.height else 0
    if len(years) < f["min_transition_years"] or positives < f["min_positive_labels"]:
        return (
            "d1",
            None,
            [
                f"Прогноз по правилу D1: переходов {len(years)} (нужно {f['min_transition_years']}), "
                f"попаданий в список {positives} (нужно {f['min_positive_labels']})."
            ],
        )
    if f["require_beats_baseline"]:
        past, last = (
            train.filter(pl.col("year") < years[-1]),
            train.filter(pl.col("year") == years[-1]),
        )
        scored = fit_logit(past, names, "label", f["l2_c"]).predict(last)
        q2 = 2 * m.param("shnor.r2.q_low")
        delta = m.param("decline.delta")
        scored = scored.with_columns(
            b_d1=((pl.col("dz") <= -delta) & (pl.col("dz_prev") <= -delta))
            .fill_null(False)
            .cast(pl.Float64),
            b_low=(pl.col("pct") <= q2).fill_null(False).cast(pl.Float64),
        )
        model_auc = auc(scored, "p", "label")
        base = max(
            (
                a
                for a in (auc(scored, "b_d1", "label"), auc(scored, "b_low", "label"))
                if a is not None
            ),
            default=None,
        )
        if model_auc is None or (base is not None and model_auc < base):
            return (
                "d1",
                None,
                [
                    f"Прогноз по правилу D1: модель (ROC AUC {fmt_num(model_auc, 2)}) не лучше "
                    f"базового правила (ROC AUC {fmt_num(base, 2)}) на переходе {years[-1]} → {years[-1] + 1}."
                ],
            )
    return "logit", fit_logit(train, names, "label", f["l2_c"]), []


def _reasons(
    row: dict, rises: list[dict], method: str, names: list[str], m: Methodology, labels: Labels
) -> list[str]:
    p, f = m.param("decline"), m.param("forecast")
    texts = []
    if row["d1"]:
        texts.append(
            f"D1: сводный результат снижается два года подряд: изменение Z {fmt_num(row['dz_prev'], 2)} "
            f"и {fmt_num(row['dz'], 2)} (порог −{fmt_num(p['delta'], 1)})."
        )
    if row["d2"]:
        items = "; ".join(
            f"{labels.group(r['procedure'], r['subject'], r['grade'], r['year'])}: {fmt_num(r['prev'] * 100)} → "
            f"{fmt_num(r['fail_share'] * 100)} % ({fmt_pp(r['delta'])})"
            for r in rises
        )
        texts.append(
            f"D2: доля «2» выросла на {fmt_num(p['fail_rise_pp'], 0)} п.п. и более в {row['rises']} "
            f"процедурах (нужно {p['k_rise']}): {items}."
        )
    if (row["d1"] or row["d2"]) and not row["in_range"]:
        texts.append("Снижение есть, но школа выше границы `decline.max_percentile`.")
    if method == "logit" and row["p"] is not None:
        parts = sorted(((row[f"c_{n}"], n) for n in names if row[f"c_{n}"] > 0), reverse=True)
        top = "; ".join(
            f"{FEATURES.get(n, n)} = {fmt_num(row[n], 2)} (вклад {fmt_num(c, 2)})"
            for c, n in parts[: f["top_contributions"]]
        )
        verdict = "риск попадания в список ШНОР в следующем году" if row["watch"] else "прогноз"
        texts.append(
            f"{verdict.capitalize()}: P = {fmt_num(row['p'], 2)} (порог {fmt_num(f['p_watch'], 2)}); {top}."
        )
    elif row["watch"]:
        texts.append("Риск попадания в список ШНОР в следующем году (по правилу D1).")
    return texts
