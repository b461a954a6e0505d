"""Objectivity markers over student rows: internal marks vs ГИА (METHODOLOGY §5.3) and
medalists (§5.4); M6 (§5.2) in `objectivity_controlled`. Groups below their minimum size
(`internal_marks.n_min`, `medals.n_min`) are not evaluated.

* IM_OGE — share of ОГЭ takers whose ОГЭ mark is below the annual mark by ≥ `oge_fire_gap`
  ≥ `oge_fire_share` (shares for every gap in `oge_gap_levels` in the reason).
* IM_EGE — annual mark a ∈ {4, 5} and ЕГЭ score below T(a) (`ege_t_by_mark`, per-subject override
  `ege_t_per_subject`); share of ЕГЭ takers in the subject ≥ `ege_fire_share`.
* IM_MIN — annual mark in `below_min_with_marks` and a score below the ЕГЭ minimum, count ≥
  `below_min_fire_count`.
* MED — share of medalists whose ЕГЭ confirms the medal (from `rules_from_year`: Russian and the
  best other subject ≥ 70 for gold, 60 for silver; before: every subject ≥ `pre2024_threshold`)
  below `target_share`. The reason also gives «модель 210» and «ТБ2» shares.
"""

from __future__ import annotations

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.objectivity_scores import finish
from opora.analytics.schemas import collect
from opora.analytics.text import DEFAULT_LABELS, Labels, fmt_num, fmt_pct

KEY = ["school_id", "year", "procedure", "subject"]


def main_period(students: pl.DataFrame | pl.LazyFrame, m: Methodology) -> pl.LazyFrame:
    """The student rows of the counted periods (`general.periods`), lazily."""
    return students.lazy().filter(pl.col("period").is_in(list(m.param("general.periods"))))


def internal_marks(
    students, reference, schools, m: Methodology, scope: str, labels: Labels = DEFAULT_LABELS
):
    """IM_OGE, IM_EGE and IM_MIN signals (one row per school × year × procedure × subject)."""
    p = m.param("internal_marks")
    # Grouped by school, then the scope joined to the groups (not to every student row).
    rows = main_period(students, m)
    in_scope = schools.select("school_id", scope)
    gap = pl.col("journal_year") - pl.col("mark")
    oge_rows = rows.filter(
        (pl.col("procedure") == "oge")
        & pl.col("mark").is_not_null()
        & pl.col("journal_year").is_not_null()
    )
    levels = sorted(int(level) for level in p["oge_gap_levels"])
    oge = (
        collect(
            oge_rows.group_by(KEY).agg(
                n=pl.len(),
                **{f"gap{k}": (gap >= k).mean() for k in levels},
                _g=(gap >= p["oge_fire_gap"]).sum(),
            )
        )
        .join(in_scope, on="school_id")
        .filter(pl.col("n") >= p["n_min"])
        .with_columns(
            marker=pl.lit("IM_OGE"),
            value=pl.col("_g") / pl.col("n"),
            reference=pl.col("_g").sum().over(scope, "year", "subject")
            / pl.col("n").sum().over(scope, "year", "subject"),
            threshold=pl.lit(float(p["oge_fire_share"])),
        )
        .with_columns(fired=pl.col("value") >= pl.col("threshold"))
    )

    def oge_text(r: dict) -> str:
        shares = ", ".join(f"на {k} и более — {fmt_pct(r[f'gap{k}'])}" for k in levels)
        return (
            f"{labels.group('oge', r['subject'], None, r['year'])}: отметка ОГЭ ниже годовой {shares} "
            f"(N = {r['n']}); порог {fmt_pct(r['threshold'])}, по региону {fmt_pct(r['reference'])}"
        )

    t_by_mark = {int(k): float(v) for k, v in p["ege_t_by_mark"].items()}
    per_subject = {
        s: {int(k): float(v) for k, v in t.items()} for s, t in p["ege_t_per_subject"].items()
    }
    t_rows = [
        {"subject": s, "journal_year": a, "t": t}
        for s in sorted(set(per_subject) | {"*"})
        for a, t in {**t_by_mark, **per_subject.get(s, {})}.items()
    ]
    t_frame = pl.DataFrame(
        t_rows, schema={"subject": pl.String, "journal_year": pl.Int64, "t": pl.Float64}
    )
    ege_rows = rows.filter(pl.col("procedure") == "ege").filter(pl.col("test_score").is_not_null())
    ege_rows = (
        ege_rows.join(
            t_frame.lazy().filter(pl.col("subject") != "*"),
            on=["subject", "journal_year"],
            how="left",
        )
        .join(
            t_frame.lazy().filter(pl.col("subject") == "*").drop("subject").rename({"t": "t_all"}),
            on="journal_year",
            how="left",
        )
        .with_columns(t=pl.coalesce("t", "t_all"))
        .join(
            reference.lazy().select("year", "procedure", "subject", "min_score"),
            on=["year", "procedure", "subject"],
            how="left",
        )
    )
    marks = list(p["below_min_with_marks"])
    ege = (
        collect(
            ege_rows.group_by(KEY).agg(
                n=pl.len(),
                disc=(pl.col("test_score") < pl.col("t")).sum(),
                below=(
                    pl.col("journal_year").is_in(marks)
                    & (pl.col("test_score") < pl.col("min_score"))
                ).sum(),
                min_score=pl.col("min_score").first(),
            )
        )
        .join(in_scope, on="school_id")
        .filter(pl.col("n") >= p["n_min"])
    )
    im_ege = ege.with_columns(
        marker=pl.lit("IM_EGE"),
        value=pl.col("disc") / pl.col("n"),
        threshold=pl.lit(float(p["ege_fire_share"])),
    ).with_columns(fired=pl.col("value") >= pl.col("threshold"))
    im_min = (
        ege.filter(pl.col("min_score").is_not_null())
        .with_columns(
            marker=pl.lit("IM_MIN"),
            value=pl.col("below").cast(pl.Float64),
            threshold=pl.lit(float(p["below_min_fire_count"])),
            reference=pl.col("min_score").cast(pl.Float64),
        )
        .with_columns(fired=pl.col("value") >= pl.col("threshold"))
    )
    t_text = ", ".join(
        f"«{a}» — {fmt_num(t, 0)}" for a, t in sorted(t_by_mark.items(), reverse=True)
    )

    def ege_text(r: dict) -> str:
        return (
            f"{labels.group('ege', r['subject'], None, r['year'])}: балл ниже ожидаемого по годовой "
            f"отметке ({t_text}) у {r['disc']} из {r['n']} ({fmt_pct(r['value'])}); порог {fmt_pct(r['threshold'])}"
        )

    def min_text(r: dict) -> str:
        return (
            f"{labels.group('ege', r['subject'], None, r['year'])}: {r['below']} выпускн. с годовой "
            f"«{'»/«'.join(str(k) for k in sorted(marks))}» набрали меньше минимального балла "
            f"{fmt_num(r['reference'], 0)} (N = {r['n']})"
        )

    return pl.concat([finish(oge, oge_text), finish(im_ege, ege_text), finish(im_min, min_text)])


def medals(students, schools, m: Methodology, scope: str):
    """MED signals: one row per school × year with medalists."""
    p = m.param("medals")
    ege = main_period(students, m).filter(
        (pl.col("procedure") == "ege")
        & pl.col("test_score").is_not_null()
        & pl.col("student_key").is_not_null()
    )
    medal = ege.group_by("school_id", "year", "student_key").agg(
        medal=pl.col("medal").drop_nulls().first()
    )
    scores = ege.join(
        medal.filter(pl.col("medal").is_not_null()), on=["school_id", "year", "student_key"]
    )
    tb2 = {s: float(v) for s, v in p["tb2_per_subject"].items()}
    limit = pl.col("medal").replace_strict(
        {"gold": float(p["gold_threshold"])}, default=float(p["silver_threshold"])
    )
    k = int(p["model_210_n_subjects"])
    best = pl.col("test_score").sort(descending=True).head(k)
    other = pl.when(pl.col("subject") != "rus").then(pl.col("test_score")).max()
    per = collect(
        scores.group_by("school_id", "year", "student_key", "medal").agg(
            rus=pl.when(pl.col("subject") == "rus").then(pl.col("test_score")).max(),
            other=other,
            low_any=(pl.col("test_score") < p["pre2024_threshold"]).any(),
            tb2=(
                pl.col("test_score")
                >= pl.col("subject").replace_strict(tb2, default=float(p["tb2_threshold"]))
            ).all(),
            n_subj=pl.len(),
            sum_best=best.sum(),
            min_best=best.min(),
        )
    )
    new_rules = pl.col("year") >= p["rules_from_year"]
    confirmed = (
        pl.when(new_rules)
        .then((pl.col("rus") >= limit) & (pl.col("other") >= limit))
        .otherwise(~pl.col("low_any"))
    )
    m210 = (
        pl.col("sum_best") >= p["model_210_sum"]
        if p["model_210_mode"] == "sum"
        else pl.col("min_best") >= p["model_210_per_subject"]
    )
    out = (
        per.with_columns(
            ok=confirmed.fill_null(False), m210=pl.when(pl.col("n_subj") >= k).then(m210)
        )
        .group_by("school_id", "year")
        .agg(
            n=pl.len(), ok=pl.col("ok").sum(), tb2=pl.col("tb2").mean(), m210=pl.col("m210").mean()
        )
        .filter(pl.col("n") >= p["n_min"])
        .with_columns(new=new_rules)
        .join(schools.select("school_id", scope), on="school_id")
        .with_columns(
            marker=pl.lit("MED"),
            procedure=pl.lit("ege"),
            value=pl.col("ok") / pl.col("n"),
            threshold=pl.lit(float(p["target_share"])),
            reference=pl.col("m210"),
        )
        .with_columns(fired=pl.col("value") < pl.col("threshold"))
    )

    def text(r: dict) -> str:
        rule = (
            f"русский язык и ещё один предмет не ниже {fmt_num(p['gold_threshold'], 0)} (золото) / "
            f"{fmt_num(p['silver_threshold'], 0)} (серебро)"
            if r["new"]
            else f"все предметы ЕГЭ не ниже {fmt_num(p['pre2024_threshold'], 0)}"
        )
        return (
            f"Медалисты {r['year']}: ЕГЭ подтверждает медаль у {r['ok']} из {r['n']} "
            f"({fmt_pct(r['value'])}; правило: {rule}) при цели {fmt_pct(r['threshold'])}; "
            f"«модель 210» — {fmt_pct(r['reference'])}, «ТБ2» по всем предметам — {fmt_pct(r['tb2'])}"
        )

    return finish(out, text)
