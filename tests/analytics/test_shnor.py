"""ШНОР rules R1 and R2 (METHODOLOGY §2) on hand-built frames, and their properties."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.analytics.methodology import load_preset
from opora.analytics.results import group_results
from opora.analytics.shnor import identify_shnor

from .frames import schools, vpr

M = load_preset()
SCHOOLS = schools([(1, 1, 1), (2, 1, 1), (3, 2, 1), (4, 2, 1), (5, 2, 1), (6, 3, 2)])


def _region() -> pl.DataFrame:
    """Region 1: schools 1–5, 20 participants each in ВПР math 6 and Russian 5, 2021–2023.

    School 1: 8 «2» of 20 (40 %) in math 2022–2023 and Russian 2023; the others 2 (math), 1 (rus).
    Mean primary scores 5 + s (math) and 10 + s (Russian): school 1 is the lowest every year.
    Region 2: school 6 alone, 15 «2» of 20 in math every year.
    """
    rows = []
    for year in (2021, 2022, 2023):
        for s in range(1, 6):
            bad = s == 1
            rows.append(vpr(s, year, "math", 6, 20, 8 if bad and year >= 2022 else 2, 5.0 + s))
            rows.append(vpr(s, year, "rus", 5, 20, 8 if bad and year == 2023 else 1, 10.0 + s))
        rows.append(vpr(6, year, "math", 6, 20, 15, 1.0))
    return pl.DataFrame(rows)


def _run(aggregates: pl.DataFrame, methodology=M, school_frame=SCHOOLS):
    groups = group_results(methodology, aggregates=aggregates)
    return identify_shnor(groups, school_frame, methodology, 2023)


def _flagged(result) -> list[int]:
    return result.schools.filter(pl.col("is_shnor"))["school_id"].to_list()


def test_r1_needs_two_hits_in_the_year_and_one_persistent():
    result = _run(_region())
    row = result.schools.filter(pl.col("school_id") == 1).row(0, named=True)
    # 2023: math 8/20 = 40 % ≥ 30 % and Russian 8/20 = 40 % → 2 hits ≥ k_proc = 2 (R1a);
    # math also 40 % in 2022 → hit two years running (R1b); strict → R1.
    assert row["r1_hits"] == 2 and row["r1a"] and row["r1b"] and row["r1"] and row["is_shnor"]
    # School 6 has 75 % «2» in one procedure only (R1a fails) and is alone in its region (no z).
    six = result.schools.filter(pl.col("school_id") == 6).row(0, named=True)
    assert six["r1b"] and not six["r1a"] and not six["is_shnor"]
    assert _flagged(result) == [1]


def test_r1_reason_gives_figures_and_regional_reference():
    reasons = _run(_region()).schools.filter(pl.col("school_id") == 1)["reasons"][0].to_list()
    # Regional math 6 in 2023: (8 + 2·4) / 100 = 16 %; Russian 5: (8 + 1·4) / 100 = 12 %.
    assert (
        "ВПР, математика, 6 класс, 2023: доля «2» 40,0\u00a0% (8 из 20) при 16,0\u00a0% "
        "по региону; порог 30,0\u00a0%"
    ) in reasons
    assert any(r.startswith("ВПР, русский язык, 5 класс, 2023: доля «2» 40,0") for r in reasons)


def test_r2_lowest_composite_every_year():
    # Math z of school s = (5 + s − 8) / sd(6..10) = (s − 3) / 1,5811; same for Russian;
    # school 1: Z = −2 / 1,5811 = −1,2649; Hazen percentile (1 − 0,5) / 5 = 0,10 ≤ q_low 0,10.
    # No student rows → no shrinkage (λ = 1), with a warning.
    result = _run(_region())
    row = result.schools.filter(pl.col("school_id") == 1).row(0, named=True)
    assert row["r2"] and row["r2_low_years"] == 3
    assert abs(row["Zshr"] + 1.2649) < 1e-4 and abs(row["pct"] - 0.10) < 1e-12
    assert result.warnings
    ev = result.evidence.filter((pl.col("school_id") == 1) & (pl.col("rule") == "R2"))
    assert ev.height == 6  # 2 procedures × 3 low years


def test_evidence_lists_the_groups_that_put_the_school_in():
    ev = _run(_region()).evidence.filter(pl.col("rule") == "R1")
    assert ev.select("school_id", "subject", "grade", "year").rows() == [
        (1, "math", 6, 2022),
        (1, "math", 6, 2023),
        (1, "rus", 5, 2023),
    ]


def test_small_groups_never_drive_a_flag():
    # Same as the region but school 1's groups have 9 participants (< n_min 10), 5 «2» each.
    frame = _region().with_columns(
        participants=pl.when(pl.col("school_id") == 1).then(9).otherwise(pl.col("participants")),
        count_2=pl.when(pl.col("school_id") == 1).then(5).otherwise(pl.col("count_2")),
        count_3=pl.when(pl.col("school_id") == 1).then(4).otherwise(pl.col("count_3")),
    )
    result = _run(frame)
    row = result.schools.filter(pl.col("school_id") == 1).row(0, named=True)
    assert not row["is_shnor"] and row["status"] == "not_evaluated"
    assert row["reasons"][0].startswith("Не оценивается")


def test_lenient_mode_is_or():
    lenient = M.with_overrides({"shnor.r1.mode": "lenient", "shnor.decision": "r1"})
    assert _flagged(_run(_region(), lenient)) == [1, 6]


# --- properties -------------------------------------------------------------------------------

ROWS = st.lists(
    st.tuples(
        st.integers(1, 8),  # school
        st.sampled_from([2021, 2022, 2023]),
        st.sampled_from([("math", 6), ("rus", 5), ("math", 5)]),
        st.integers(5, 30),  # participants
        st.integers(0, 30),  # «2»
        st.floats(0, 30, allow_nan=False),
    ),
    min_size=1,
    max_size=40,
    unique_by=lambda r: (r[0], r[1], r[2]),
)
PROP_SCHOOLS = schools([(s, s % 3, 1 if s <= 4 else 2) for s in range(1, 9)])


def _frame(rows) -> pl.DataFrame:
    return pl.DataFrame(
        [
            vpr(s, y, subj, grade, n, min(twos, n), mean)
            for s, y, (subj, grade), n, twos, mean in rows
        ]
    )


@settings(max_examples=40, deadline=None)
@given(ROWS, st.floats(0.05, 0.9), st.floats(0.0, 0.5))
def test_raising_the_fail_threshold_never_adds_a_school(rows, t_fail, step):
    frame = _frame(rows)
    low = M.with_overrides({"shnor.r1.t_fail": t_fail})
    high = M.with_overrides({"shnor.r1.t_fail": min(1.0, t_fail + step)})
    assert set(_flagged(_run(frame, high, PROP_SCHOOLS))) <= set(
        _flagged(_run(frame, low, PROP_SCHOOLS))
    )


@settings(max_examples=40, deadline=None)
@given(ROWS, st.floats(0.05, 0.5), st.floats(0.0, 0.4))
def test_lowering_the_bottom_share_never_adds_a_school(rows, q_low, step):
    frame = _frame(rows)
    wide = M.with_overrides({"shnor.r2.q_low": min(1.0, q_low + step)})
    narrow = M.with_overrides({"shnor.r2.q_low": q_low})
    assert set(_flagged(_run(frame, narrow, PROP_SCHOOLS))) <= set(
        _flagged(_run(frame, wide, PROP_SCHOOLS))
    )


@settings(max_examples=40, deadline=None)
@given(ROWS, st.randoms(use_true_random=False))
def test_shuffling_input_rows_never_changes_the_output(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    first, second = _run(_frame(rows), M, PROP_SCHOOLS), _run(_frame(shuffled), M, PROP_SCHOOLS)
    assert first.schools.equals(second.schools)
    assert first.evidence.equals(second.evidence)


@settings(max_examples=40, deadline=None)
@given(ROWS, ROWS)
def test_a_school_does_not_depend_on_other_regions(rows, other):
    # Region 1 = schools 1–4; replace everything of region 2 (schools 5–8) by other data.
    own = [r for r in rows if r[0] <= 4]
    foreign = [r for r in other if r[0] > 4]
    if not own:
        return
    alone = _run(_frame(own), M, PROP_SCHOOLS).schools.filter(pl.col("region_id") == 1)
    mixed = _run(_frame(own + foreign), M, PROP_SCHOOLS).schools.filter(pl.col("region_id") == 1)
    assert alone.equals(mixed)
