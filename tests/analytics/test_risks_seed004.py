"""Risk profiles of the three schools of seed 004 (Лесозаводский ГО, 2021) under `default`.

The seed gives city totals (59 teachers: 11 first and 14 highest category, 20 over 55; 47
classrooms, 44 with projectors; 174 computers, 52 outdated) and per-school shares (СОШ № 1: 25 %
over 55, 29 % categories, 100 % projectors, 67 % outdated; СОШ № 3: 42 %, 55 %, 86 %, 0 %). The
split below reproduces both: №1 28 teachers (7 over 55 = 25 %, 3 + 5 = 8 = 29 %), №3 31 teachers
(13 = 42 %, 8 + 9 = 17 = 55 %), 7 + 13 = 20, 3 + 8 = 11 first, 5 + 9 = 14 highest; classrooms 26/26 and
21/18 (86 %), 26 + 21 = 47, 26 + 18 = 44; computers 78/52 (67 %) and 96/0, 78 + 96 = 174.
Rural school (с. Курское) as printed: 9 teachers, 7 first + 1 highest (89 %), 4 over 55 (44 %),
8 classrooms, 1 with projector (13 %), 16 computers, 15 outdated (94 %). Internet: «скоростной
Интернет (город – не менее 100 Мб/с, село – не менее 50 Мб/с)» — yes for all three.
"""

import polars as pl

from opora.analytics.methodology import load_preset
from opora.analytics.risks import risk_profile

SCHOOL_1, SCHOOL_3, KURSKOE = 1, 3, 9

SCHOOLS = pl.DataFrame(
    {
        "school_id": [SCHOOL_1, SCHOOL_3, KURSKOE],
        "municipality_id": [1, 1, 1],
        "region_id": [25, 25, 25],
        "is_urban": [True, True, False],
        "school_type": ["sosh", "sosh", "sosh"],
    }
)
CONTEXT = pl.DataFrame(
    {
        "school_id": [SCHOOL_1, SCHOOL_3, KURSKOE],
        "year": [2021, 2021, 2021],
        "teachers_total": [28, 31, 9],
        "teachers_first_category": [3, 8, 7],
        "teachers_highest_category": [5, 9, 1],
        "teachers_over_55": [7, 13, 4],
        "classrooms_total": [26, 21, 8],
        "classrooms_with_projector": [26, 18, 1],
        "computers_total": [78, 96, 16],
        "computers_outdated": [52, 0, 15],
        "internet_speed_mbps": [100.0, 100.0, 50.0],
    }
)


def _profile():
    return risk_profile(CONTEXT, SCHOOLS, load_preset("default"))


def _factor(profile, school_id, factor):
    rows = profile.factors.filter(
        (pl.col("school_id") == school_id) & (pl.col("factor") == factor)
    ).to_dicts()
    assert len(rows) == 1
    return rows[0]


def _has(reasons, *fragments):
    return any(all(fragment in text for fragment in fragments) for text in reasons)


def test_rural_school_shows_seed_figures_with_default_levels():
    profile = _profile()
    r01 = _factor(profile, KURSKOE, "R01")
    r02 = _factor(profile, KURSKOE, "R02")
    r03 = _factor(profile, KURSKOE, "R03")
    assert _has(r01["reasons"], "устаревших", "94\u00a0%", "15 из 16")
    assert _has(r01["reasons"], "проекторами", "13\u00a0%", "1 из 8")
    # 50 Mbit/s is not below the threshold 50: outside the risk zone; no students → no PC ratio.
    assert _has(r01["reasons"], "Скорость интернета: 50 Мбит/с", "вне зоны риска")
    assert r01["score"] == 0.0 and r01["level"] == "низкий"
    # 4/9 = 0,444 ≥ 0,35 → x = 1; the other R02 items have no data → R02 = 1 → высокий.
    assert _has(r02["reasons"], "свыше 55 лет", "44\u00a0%", "4 из 9", "зона риска")
    assert r02["score"] == 1.0 and r02["level"] == "высокий" and r02["is_priority"]
    # (7 + 1)/9 = 0,889, not below 0,50 → x = 0 → низкий.
    assert _has(r03["reasons"], "высшей и первой категории", "89\u00a0%", "8 из 9")
    assert r03["level"] == "низкий"


def test_city_schools_show_seed_figures_with_default_levels():
    profile = _profile()
    r02_1 = _factor(profile, SCHOOL_1, "R02")
    r03_1 = _factor(profile, SCHOOL_1, "R03")
    r01_1 = _factor(profile, SCHOOL_1, "R01")
    assert _has(r02_1["reasons"], "свыше 55 лет", "25\u00a0%", "7 из 28")
    assert r02_1["level"] == "низкий"  # 0,25 < 0,35
    assert _has(r03_1["reasons"], "категории", "29\u00a0%", "8 из 28", "зона риска")
    assert r03_1["level"] == "высокий"  # 8/28 = 0,286 < 0,50
    assert _has(r01_1["reasons"], "устаревших", "67\u00a0%", "52 из 78")
    assert _has(r01_1["reasons"], "проекторами", "100\u00a0%")
    r02_3 = _factor(profile, SCHOOL_3, "R02")
    r03_3 = _factor(profile, SCHOOL_3, "R03")
    assert _has(r02_3["reasons"], "42\u00a0%", "13 из 31")
    assert r02_3["level"] == "высокий"  # 13/31 = 0,419 ≥ 0,35
    assert _has(r03_3["reasons"], "55\u00a0%", "17 из 31")
    assert r03_3["level"] == "низкий"  # 17/31 = 0,548
    assert _has(_factor(profile, SCHOOL_3, "R01")["reasons"], "86\u00a0%", "18 из 21")


def test_factors_without_data_say_so_and_are_not_priorities():
    profile = _profile()
    r08 = _factor(profile, KURSKOE, "R08")
    assert r08["level"] == "нет данных" and r08["score"] is None and not r08["is_priority"]
    assert r08["reasons"] == ["Индекс школьного климата: нет данных"]
    assert profile.factors.height == 3 * 11


def test_raw_values_are_kept_beside_the_text():
    items = _profile().items
    row = items.filter(
        (pl.col("school_id") == KURSKOE) & (pl.col("indicator") == "computers_outdated_share")
    ).row(0, named=True)
    assert row["value"] == 15 / 16 and row["num"] == 15 and row["den"] == 16 and not row["scored"]
