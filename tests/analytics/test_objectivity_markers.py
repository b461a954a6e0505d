"""Objectivity markers M1, M3, M4, M4T, M6, M7, internal marks, medalists (METHODOLOGY §5)."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.methodology import load_preset
from opora.analytics.objectivity import assess_objectivity
from opora.analytics.objectivity_registry import MARKERS
from opora.analytics.results import group_results

from .frames import schools

M = load_preset()


def _st(school, year, procedure, subject, grade, **values) -> dict:
    return {
        "school_id": school,
        "year": year,
        "procedure": procedure,
        "subject": subject,
        "grade": grade,
        "period": "main",
        **values,
    }


def _frame(rows: list[dict]) -> pl.DataFrame:
    cols = ["mark", "primary_score", "test_score", "journal_term", "journal_year"]
    return pl.DataFrame(
        rows,
        schema_overrides={c: pl.Int64 for c in cols}
        | {"medal": pl.String, "student_key": pl.String, "controlled": pl.Boolean},
        infer_schema_length=None,
    )


def _run(rows, school_frame, methodology=M, reference=None):
    frame = _frame(rows)
    groups = group_results(methodology, students=frame, reference=reference)
    return assess_objectivity(frame, groups, school_frame, methodology, reference)


def _fired(result, marker):
    s = result.signals.filter(pl.col("fired") & (pl.col("marker") == marker))
    return sorted(set(s["school_id"].to_list()))


def test_every_marker_is_registered_with_name_and_parameters():
    for code, marker in MARKERS.items():
        assert marker.code == code and marker.name and M.param(marker.params) is not None
    assert set(MARKERS) >= {"M1", "M2", "M3", "M4", "M5", "M6", "M7", "IM_OGE", "IM_EGE", "MED"}


def _m1_rows(ege_scores: dict[int, int]) -> list[dict]:
    """ВПР rus 4, 2024: schools 1–3 score 10, 11, 15 (10 students each); ЕГЭ rus 2024 per school."""
    rows = []
    for s, score in ((1, 10), (2, 11), (3, 15)):
        rows += [_st(s, 2024, "vpr", "rus", 4, primary_score=score)] * 10
        rows += [_st(s, 2024, "ege", "rus", 11, test_score=ege_scores[s])] * 5
    return rows


def test_m1_high_vpr_not_confirmed_by_ege():
    # ВПР means 10, 11, 15: mean 12, sd = sqrt((4 + 1 + 9) / 2) = 2,6458; z3 = 3 / 2,6458 = 1,134 ≥ 1.
    # ЕГЭ means 60, 70, 50: mean 60, sd 10; z3 = −1,0 < 0 → M1 fires for school 3 only.
    result = _run(_m1_rows({1: 60, 2: 70, 3: 50}), schools([(1, 1, 1), (2, 1, 1), (3, 1, 1)]))
    assert _fired(result, "M1") == [3]
    row = result.signals.filter((pl.col("marker") == "M1") & (pl.col("school_id") == 3)).row(
        0, named=True
    )
    assert abs(row["value"] - 1.1339) < 1e-4 and abs(row["reference"] + 1.0) < 1e-12
    assert row["reason"] == (
        "ВПР, русский язык, 4 класс, 2024: средний балл выше региона на 1,13 ст. откл. (порог 1,0), "
        "а ОГЭ/ЕГЭ по предмету (2024) — z = −1,00 (порог < 0,0); N = 10"
    )
    # Confirmed by ЕГЭ (school 3 best) → nothing; a lyceum is whitelisted.
    assert (
        _fired(
            _run(_m1_rows({1: 60, 2: 50, 3: 70}), schools([(1, 1, 1), (2, 1, 1), (3, 1, 1)])), "M1"
        )
        == []
    )
    lyceum = schools([(1, 1, 1), (2, 1, 1), (3, 1, 1)]).with_columns(
        school_type=pl.when(pl.col("school_id") == 3)
        .then(pl.lit("lyceum"))
        .otherwise(pl.col("school_type"))
    )
    assert _fired(_run(_m1_rows({1: 60, 2: 70, 3: 50}), lyceum), "M1") == []


def test_m1_compares_with_the_latest_external_year_unless_pooled():
    # ЕГЭ 2023: school 3 worst (50 vs 60, 70: z = −1,0, N = 5); ЕГЭ 2024 (N = 15): 60, 65, 70 →
    # school 3 best, z = +1,0. `latest` (default): the 2024 ЕГЭ confirms the 2024 ВПР → no M1.
    # `pooled`: N-weighted (5 · −1,0 + 15 · 1,0) / 20 = +0,5 ≥ 0 → no M1 either; with the 2024
    # ЕГЭ at 65, 70, 60 (school 3 worst, z = −1,0): pooled −1,0, latest −1,0 → both fire.
    def rows(ege_2024: dict[int, int]) -> list[dict]:
        out = _m1_rows({1: 60, 2: 70, 3: 50})
        return [
            {**r, "year": 2023} if r["procedure"] == "ege" and r["year"] == 2024 else r for r in out
        ] + [_st(s, 2024, "ege", "rus", 11, test_score=v) for s, v in ege_2024.items()] * 15

    schools3 = schools([(1, 1, 1), (2, 1, 1), (3, 1, 1)])
    pooled = M.with_overrides({"objectivity.m1.external_window": "pooled"})
    assert _fired(_run(rows({1: 60, 2: 65, 3: 70}), schools3), "M1") == []
    assert _fired(_run(rows({1: 60, 2: 65, 3: 70}), schools3, pooled), "M1") == []
    assert _fired(_run(rows({1: 65, 2: 70, 3: 60}), schools3), "M1") == [3]
    assert _fired(_run(rows({1: 65, 2: 70, 3: 60}), schools3, pooled), "M1") == [3]
    # Only the earlier year's ЕГЭ (2023, z = −1,0): `latest` falls back to it within 2 years.
    only_2023 = [
        {**r, "year": 2023} if r["procedure"] == "ege" else r
        for r in _m1_rows({1: 60, 2: 70, 3: 50})
    ]
    result = _run(only_2023, schools3)
    assert _fired(result, "M1") == [3]
    reason = result.signals.filter(pl.col("fired") & (pl.col("marker") == "M1"))["reason"][0]
    assert "по предмету (2023) — z = −1,00" in reason
    one_year = M.with_overrides({"objectivity.m1.external_years": 1})
    assert _fired(_run(only_2023, schools3, one_year), "M1") == []


def test_m1_pooled_weighs_the_years_by_participants():
    # ЕГЭ 2023 N = 5: 50, 60, 70 (school 3 best, z = +1,0); ЕГЭ 2024 N = 5: 60, 70, 50 (z = −1,0)
    # → pooled (5 · 1,0 + 5 · −1,0) / 10 = 0,0, not < 0 → no M1; latest −1,0 → M1 for school 3.
    rows = _m1_rows({1: 60, 2: 70, 3: 50})
    for s, score in ((1, 50), (2, 60), (3, 70)):
        rows += [_st(s, 2023, "ege", "rus", 11, test_score=score)] * 5
    schools3 = schools([(1, 1, 1), (2, 1, 1), (3, 1, 1)])
    pooled = M.with_overrides({"objectivity.m1.external_window": "pooled"})
    assert _fired(_run(rows, schools3), "M1") == [3]
    result = _run(rows, schools3, pooled)
    assert _fired(result, "M1") == []
    row = result.signals.filter((pl.col("marker") == "M1") & (pl.col("school_id") == 3))
    assert abs(row["reference"][0]) < 1e-12


def _m4_rows(bunched: int) -> list[dict]:
    """ВПР math 4, 2024. Mark cuts from the data: «3» from 6, «4» from 10, «5» from 14.

    Schools 2–5 (20 students each): scores 4,5 («2»), 6,7,8,9 («3»), 10..13 («4»), 14..15 («5»)
    spread evenly: 2 students on each of 10 scores 4..13. School 1: `bunched` students on 10
    and 11 («4»), the rest 2 per score on 4..9 and 12..13 (so N = 20 when bunched = 4).
    """
    rows = []

    def mark(x):
        return 2 if x < 6 else 3 if x < 10 else 4 if x < 14 else 5

    for s in range(2, 6):
        for x in range(4, 14):
            rows += [_st(s, 2024, "vpr", "math", 4, primary_score=x, mark=mark(x))] * 2
        rows += [_st(s, 2024, "vpr", "math", 4, primary_score=14, mark=5)] * 1
    for x in (4, 5, 6, 7, 12, 13):
        rows += [_st(1, 2024, "vpr", "math", 4, primary_score=x, mark=mark(x))] * 2
    rows += [_st(1, 2024, "vpr", "math", 4, primary_score=10, mark=4)] * (bunched // 2)
    rows += [_st(1, 2024, "vpr", "math", 4, primary_score=11, mark=4)] * (bunched - bunched // 2)
    return rows


def test_m4_pile_up_at_the_mark_boundary():
    # School 1: nobody at 8, 9 (just below «4» cut 10), 8 at 10 + 8 at 11; 12 others → N = 28.
    # B_s = (16/28) / (0 + 0,5/28) = 32. Region (5 schools, N = 4·21 + 28 = 112):
    # f(10)+f(11) = 8·2 + 16 = 32, f(8)+f(9) = 16: B_R = 32 / (16 + 0,5) = 1,9394; ratio 16,5 ≥ 2.
    result = _run(_m4_rows(16), schools([(s, 1, 1) for s in range(1, 6)]))
    assert _fired(result, "M4") == [1]
    row = result.signals.filter((pl.col("marker") == "M4") & (pl.col("school_id") == 1)).row(
        0, named=True
    )
    assert abs(row["value"] - 16.5) < 1e-9 and row["n"] == 28
    assert "пик на границе отметки «4» (10 перв. б.)" in row["reason"]
    assert "сигнал ориентировочный" in row["reason"]  # N = 28 < 50


def test_m4_small_group_never_fires():
    # School 1 with 4 bunched students has N = 16 < m4.n_min = 20: evaluated for nothing.
    result = _run(_m4_rows(4), schools([(s, 1, 1) for s in range(1, 6)]))
    assert (
        result.signals.filter((pl.col("marker") == "M4") & (pl.col("school_id") == 1)).height == 0
    )


def _m7_rows(means: dict[int, list[int]]) -> list[dict]:
    rows = []
    for s, series in means.items():
        for year, score in zip((2022, 2023, 2024), series, strict=True):
            rows += [_st(s, year, "vpr", "rus", 4, primary_score=score)] * 10
    return rows


def test_m7_jump_then_fall():
    # Three schools; school 1: 10 → 20 → 10; schools 2, 3 steady 12, 14.
    # 2022: (10, 12, 14) z1 = −1; 2023: (20, 12, 14) mean 15,33, sd 4,163, z1 = 1,121;
    # jump 2,121 ≥ 1,5; 2024 z1 = −1 again: change −2,121 ≤ −1 → M7 in 2023.
    result = _run(
        _m7_rows({1: [10, 20, 10], 2: [12, 12, 12], 3: [14, 14, 14]}),
        schools([(1, 1, 1), (2, 1, 1), (3, 1, 1)]),
    )
    sig = result.signals.filter(pl.col("marker") == "M7")
    assert sig.filter(pl.col("fired")).select("school_id", "year").rows() == [(1, 2023)]
    assert abs(sig.filter(pl.col("school_id") == 1)["value"][0] - 2.1209) < 1e-4
    school = result.schools.filter((pl.col("school_id") == 1) & (pl.col("year") == 2023)).row(
        0, named=True
    )
    assert school["markers"] == ["M7"] and school["marker_count"] == 1
    # One signal is below `has_signs_min_markers` = 2 of the default methodology.
    assert not school["has_signs"]


def test_internal_marks_below_minimum_with_an_annual_five():
    # ЕГЭ rus 2024, school 1, 10 graduates: annual «5» ×4 scoring 65, 75, 80, 20; «3» ×6 scoring 50.
    # T(5) = 70: 65 and 20 are below → 2 of 10 = 20 % < 30 % (IM_EGE quiet);
    # score 20 < minimum 24 with annual «5» → IM_MIN fires (1 ≥ 1).
    rows = [
        _st(1, 2024, "ege", "rus", 11, test_score=t, journal_year=5) for t in (65, 75, 80, 20)
    ] + [_st(1, 2024, "ege", "rus", 11, test_score=50, journal_year=3)] * 6
    ref = pl.DataFrame(
        {"year": [2024], "procedure": ["ege"], "subject": ["rus"], "min_score": [24]}
    )
    result = _run(rows, schools([(1, 1, 1)]), reference=ref)
    sig = {r["marker"]: r for r in result.signals.iter_rows(named=True)}
    assert sig["IM_EGE"]["value"] == 0.2 and not sig["IM_EGE"]["fired"]
    assert sig["IM_MIN"]["fired"] and sig["IM_MIN"]["value"] == 1.0
    assert sig["IM_MIN"]["reason"] == (
        "ЕГЭ, русский язык, 2024: 1 выпускн. с годовой «4»/«5» набрали меньше минимального балла 24 (N = 10)"
    )


def test_oge_marks_below_annual():
    # ОГЭ math 2024, 10 students: annual 5 / ОГЭ 3 ×2 (gap 2), annual 4 / ОГЭ 3 ×2 (gap 1), 6 equal.
    # gap ≥ 1: 4/10 = 40 % ≥ 30 % → IM_OGE; gap ≥ 2: 20 %.
    rows = (
        [_st(1, 2024, "oge", "math", 9, mark=3, journal_year=5)] * 2
        + [_st(1, 2024, "oge", "math", 9, mark=3, journal_year=4)] * 2
        + [_st(1, 2024, "oge", "math", 9, mark=4, journal_year=4)] * 6
    )
    row = _run(rows, schools([(1, 1, 1)])).signals.row(0, named=True)
    assert row["marker"] == "IM_OGE" and row["fired"] and row["value"] == 0.4
    assert "на 1 и более — 40,0\u00a0%, на 2 и более — 20,0\u00a0%" in row["reason"]


def test_medalists_confirmation():
    # 2024, 10 gold medalists: 6 with rus 80, math 75, phys 72 (confirmed, sum 227 ≥ 210);
    # 4 with rus 80, math 65, phys 60 (best other 65 < 70; sum 205 < 210).
    # Confirmed 6/10 = 60 % < 70 % → MED; «модель 210» 60 %, «ТБ2» 60 %.
    rows = []
    for i in range(10):
        scores = (80, 75, 72) if i < 6 else (80, 65, 60)
        for subject, t in zip(("rus", "math_profile", "phys"), scores, strict=True):
            rows.append(
                _st(1, 2024, "ege", subject, 11, test_score=t, student_key=f"k{i}", medal="gold")
            )
    row = (
        _run(rows, schools([(1, 1, 1)]))
        .signals.filter(pl.col("marker") == "MED")
        .row(0, named=True)
    )
    assert row["fired"] and row["value"] == 0.6 and row["reference"] == 0.6 and row["n"] == 10
    assert row["reason"].startswith(
        "Медалисты 2024: ЕГЭ подтверждает медаль у 6 из 10 (60,0\u00a0%"
    )


def test_m6_drop_under_observers():
    # ВПР rus 4, 2024, school 1: 10 usual students score 20, 10 controlled score 10 → Δ = 10.
    # Student sd over the 20 = sqrt(20·25 / 19) = 5,1299; threshold 0,5·sd = 2,565 → M6.
    rows = [_st(1, 2024, "vpr", "rus", 4, primary_score=20, controlled=False)] * 10 + [
        _st(1, 2024, "vpr", "rus", 4, primary_score=10, controlled=True)
    ] * 10
    sig = (
        _run(rows, schools([(1, 1, 1)])).signals.filter(pl.col("marker") == "M6").row(0, named=True)
    )
    assert sig["fired"] and sig["value"] == 10.0 and abs(sig["threshold"] - 2.5649) < 1e-4


M1_SCORES = st.lists(st.integers(5, 30), min_size=4, max_size=4)


@settings(max_examples=25, deadline=None)
@given(
    M1_SCORES,
    M1_SCORES,
    st.floats(0.0, 2.0),
    st.floats(0.0, 1.0),
    st.randoms(use_true_random=False),
)
def test_m1_properties(vpr_means, ege_means, k_high, step, rnd):
    rows = []
    for s in range(1, 5):
        rows += [_st(s, 2024, "vpr", "rus", 4, primary_score=vpr_means[s - 1])] * 10
        rows += [_st(s, 2024, "ege", "rus", 11, test_score=ege_means[s - 1] * 3)] * 5
    frame = schools([(s, 1, 1) for s in range(1, 5)])
    low = M.with_overrides({"objectivity.m1.k_high": k_high})
    high = M.with_overrides({"objectivity.m1.k_high": k_high + step})
    assert set(_fired(_run(rows, frame, high), "M1")) <= set(_fired(_run(rows, frame, low), "M1"))
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    first, second = _run(rows, frame, low), _run(shuffled, frame, low)
    assert first.signals.equals(second.signals) and first.schools.equals(second.schools)
    # Another region's school never changes region 1's signals.
    other = rows + [_st(9, 2024, "vpr", "rus", 4, primary_score=99)] * 10
    with_other = _run(other, schools([*[(s, 1, 1) for s in range(1, 5)], (9, 2, 2)]), low)
    assert with_other.signals.filter(pl.col("school_id") != 9).equals(first.signals)


def test_m5_ties_at_the_quantile_do_not_all_fire():
    # 21 schools (≥ 20 → regional percentile): 5 of 20 journal marks above ВПР everywhere,
    # school 21: 12 of 20. Hazen rank of school 21 = (21 − 0,5)/21 = 0,976 ≥ 0,95 → fires;
    # the 20 tied schools get (10,5 − 0,5)/21 = 0,476 → quiet. Nobody has up > 0 → no «up» marker.
    rows = []
    for s in range(1, 22):
        down = 12 if s == 21 else 5
        rows += [_st(s, 2024, "vpr", "rus", 4, mark=3, journal_term=4)] * down
        rows += [_st(s, 2024, "vpr", "rus", 4, mark=3, journal_term=3)] * (20 - down)
    result = _run(rows, schools([(s, 1, 1) for s in range(1, 22)]))
    assert _fired(result, "M5") == [21]


def test_m4t_top_heavy_is_shown_but_not_counted_by_default():
    # 20 schools: marks 2×2, 3×10, 4×6, 5×2; school 1: 2×2, 3×3, 4×5, 5×10 («5» the mode, 50 %).
    # Pooled share of «5»: (19·2 + 10)/400 = 12 %; P(X ≥ 10 | Bin(20; 0,12)) < 0,001;
    # rank of school 1: (20 − 0,5)/20 = 0,975 ≥ 0,95 → M4T fires.
    rows = []
    for s in range(1, 21):
        counts = {2: 2, 3: 3, 4: 5, 5: 10} if s == 1 else {2: 2, 3: 10, 4: 6, 5: 2}
        for mark, k in counts.items():
            rows += [_st(s, 2024, "vpr", "math", 4, mark=mark)] * k
    result = _run(rows, schools([(s, 1, 1) for s in range(1, 21)]))
    assert _fired(result, "M4T") == [1]
    one = result.schools.filter(pl.col("school_id") == 1).row(0, named=True)
    assert one["shown"] == ["M4T"] and one["markers"] == [] and not one["has_signs"]
    counted = M.with_overrides(
        {"objectivity.counted_markers": ["M4T"], "objectivity.has_signs_min_markers": 1}
    )
    assert _run(rows, schools([(s, 1, 1) for s in range(1, 21)]), counted).schools.filter(
        pl.col("school_id") == 1
    )["has_signs"][0]


@settings(max_examples=20, deadline=None)
@given(
    st.integers(4, 24),
    st.floats(1.0, 20.0),
    st.floats(0.0, 10.0),
    st.floats(0.001, 0.2),
    st.randoms(use_true_random=False),
)
def test_m4_and_m5_properties(bunched, ratio, step, alpha, rnd):
    rows = _m4_rows(bunched)
    # Journal marks: school 1 one mark below ВПР for half of its students.
    rows = [
        r | {"journal_term": r["mark"] - (1 if r["school_id"] == 1 and i % 2 else 0)}
        for i, r in enumerate(rows)
    ]
    frame = schools([(s, 1, 1) for s in range(1, 6)])
    low = M.with_overrides({"objectivity.m4.ratio": ratio, "objectivity.m5.alpha": alpha})
    high = M.with_overrides(
        {"objectivity.m4.ratio": ratio + step, "objectivity.m5.alpha": alpha / 2}
    )
    base, strict = _run(rows, frame, low), _run(rows, frame, high)
    for marker in ("M4", "M5"):
        assert set(_fired(strict, marker)) <= set(_fired(base, marker))
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert _run(shuffled, frame, low).signals.equals(base.signals)
