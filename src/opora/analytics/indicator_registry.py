"""Declarations of the indicator library (METHODOLOGY §1, DOMAIN §5 item 1): every indicator
declared once, with its documentation, direction, inputs and, where a program sets one, its
target. `indicators.compute_indicators` computes their values.
"""

from __future__ import annotations

from dataclasses import dataclass

HIGHER_BETTER, LOWER_BETTER = "higher_better", "lower_better"


@dataclass(frozen=True)
class Indicator:
    """A registered indicator: documentation, direction, optional levels/target and its inputs.

    Results: `procedures` and group columns `numerator`/`denominator` (`scale` 100 for shares in
    %). Context: `figure` is a code of `context_indicators.context_figures`.
    """

    code: str
    name: str
    formula: str
    unit: str
    direction: str
    procedures: tuple[str, ...] = ()
    numerator: str = ""
    denominator: str = ""
    figure: str = ""
    scale: float = 1.0
    levels: tuple[tuple[float, str], ...] = ()
    target: float | None = None
    target_source: str = ""

    @property
    def source(self) -> str:
        return "context" if self.figure else "results"


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator to the registry (codes are unique)."""
    if indicator.code in REGISTRY:
        raise ValueError(f"indicator {indicator.code} registered twice")
    REGISTRY[indicator.code] = indicator
    return indicator


SEED_004 = "Программа Лесозаводского ГО, 2021 (seeds/004): ВПР не более 10 %, ОГЭ/ЕГЭ не более 5 %"

for proc, short in (("vpr", "ВПР"), ("oge", "ОГЭ")):
    register(
        Indicator(
            f"{proc}_fail_share",
            f"{short}: доля отметок «2»",
            "число «2» / число участников с отметкой × 100",
            "%",
            LOWER_BETTER,
            (proc,),
            "n_fail",
            "n_fail_known",
            scale=100,
            target=10.0 if proc == "vpr" else 5.0,
            target_source=SEED_004,
        )
    )
    register(
        Indicator(
            f"{proc}_good_share",
            f"{short}: доля отметок «4» и «5»",
            "(число «4» + число «5») / число участников с отметкой × 100",
            "%",
            HIGHER_BETTER,
            (proc,),
            "n_good",
            "n_marked",
            scale=100,
        )
    )
    register(
        Indicator(
            f"{proc}_mean_mark",
            f"{short}: средняя отметка",
            "сумма отметок / число участников с отметкой",
            "балл",
            HIGHER_BETTER,
            (proc,),
            "sum_mark",
            "n_marked",
        )
    )
register(
    Indicator(
        "ege_mean_score",
        "ЕГЭ: средний тестовый балл",
        "сумма тестовых баллов / число участников с баллом",
        "балл",
        HIGHER_BETTER,
        ("ege",),
        "sum_score",
        "n_scored",
    )
)
register(
    Indicator(
        "ege_below_min_share",
        "ЕГЭ: доля не преодолевших минимальный балл",
        "число с баллом ниже минимального (справочник по году) / число участников с баллом × 100",
        "%",
        LOWER_BETTER,
        ("ege",),
        "n_fail",
        "n_fail_known",
        scale=100,
        target=5.0,
        target_source=SEED_004,
    )
)
register(
    Indicator(
        "ege_high_share",
        "ЕГЭ: доля высокобалльников",
        "число с баллом не ниже порога высокого балла (справочник) / число участников × 100",
        "%",
        HIGHER_BETTER,
        ("ege",),
        "n_high",
        "n_scored",
        scale=100,
    )
)
for code, name, formula, unit, direction, scale in (
    (
        "teachers_55plus",
        "Доля учителей старше 55 лет",
        "учителей старше 55 / учителей всего × 100",
        "%",
        LOWER_BETTER,
        100,
    ),
    (
        "category_high_first",
        "Доля учителей высшей и первой категории",
        "(высшая + первая) / учителей всего × 100",
        "%",
        HIGHER_BETTER,
        100,
    ),
    (
        "non_specialist",
        "Доля учителей без профильной подготовки",
        "без профильной подготовки / учителей всего × 100",
        "%",
        LOWER_BETTER,
        100,
    ),
    (
        "computers_outdated_share",
        "Доля устаревших компьютеров",
        "устаревших / компьютеров всего × 100",
        "%",
        LOWER_BETTER,
        100,
    ),
    (
        "classrooms_projector_share",
        "Доля кабинетов с проекторами",
        "кабинетов с проектором / кабинетов всего × 100",
        "%",
        HIGHER_BETTER,
        100,
    ),
    (
        "classrooms_board_share",
        "Доля кабинетов с интерактивными досками",
        "кабинетов с доской / кабинетов всего × 100",
        "%",
        HIGHER_BETTER,
        100,
    ),
    (
        "students_per_pc",
        "Обучающихся на один компьютер",
        "обучающихся всего / компьютеров всего (по школе; выше — среднее по школам)",
        "чел.",
        LOWER_BETTER,
        1,
    ),
    (
        "internet_mbps",
        "Скорость интернета",
        "скорость подключения (выше уровня школы — среднее по школам)",
        "Мбит/с",
        HIGHER_BETTER,
        1,
    ),
):
    register(Indicator(code, name, formula, unit, direction, figure=code, scale=scale))
