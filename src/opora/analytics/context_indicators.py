"""Derived figures of a school's context (staff, equipment, contingent) used by risks and indicators.

Each figure is declared once with its Russian label, its kind (`share` 0–1 with the counts
behind it, or `number`) and its Polars expressions over the `CONTEXT` frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

SPECIALISTS = ["psychologist", "defectologist", "speech_therapist", "social_pedagogue"]


@dataclass(frozen=True)
class ContextFigure:
    """A derived figure: `value` (and, for shares, `num`/`den`) as Polars expressions."""

    code: str
    label: str
    kind: str  # "share" (0–1) | "number"
    value: pl.Expr
    num: pl.Expr | None = None
    den: pl.Expr | None = None
    unit: str = ""


def _share(code: str, label: str, num: pl.Expr, den: str) -> ContextFigure:
    denominator = pl.col(den)
    return ContextFigure(
        code=code,
        label=label,
        kind="share",
        value=pl.when(denominator > 0).then(num / denominator),
        num=num,
        den=denominator,
    )


def _pct(column: str) -> pl.Expr:
    return pl.col(column) / 100


def _specialists_missing() -> pl.Expr:
    known = pl.any_horizontal(
        [
            pl.col(f"{kind}_{what}").is_not_null()
            for kind in SPECIALISTS
            for what in ("rates", "contracted")
        ]
    )
    missing = pl.sum_horizontal(
        [
            (
                (pl.col(f"{kind}_rates").fill_null(0) == 0)
                & (pl.col(f"{kind}_contracted").fill_null(0) == 0)
            ).cast(pl.Int64)
            for kind in SPECIALISTS
        ]
    )
    return pl.when(known).then(missing.cast(pl.Float64))


def context_figures(hours_per_rate: float) -> dict[str, ContextFigure]:
    """All context figures by code; `hours_per_rate` converts weekly hours into ставки."""
    students = pl.when(pl.col("students_total") > 0).then(pl.col("students_total"))
    figures = [
        ContextFigure(
            "internet_mbps",
            "Скорость интернета",
            "number",
            pl.col("internet_speed_mbps"),
            unit="Мбит/с",
        ),
        ContextFigure(
            "students_per_pc",
            "Обучающихся на один компьютер",
            "number",
            pl.when(pl.col("computers_total") > 0).then(students / pl.col("computers_total")),
        ),
        _share(
            "vacancy_share",
            "Вакансии, не закрытые более года, к числу учителей",
            pl.col("vacancies_over_year"),
            "teachers_total",
        ),
        ContextFigure(
            "load_per_teacher",
            "Средняя нагрузка учителя, ставок",
            "number",
            pl.col("avg_teacher_load") / hours_per_rate,
        ),
        _share(
            "teachers_55plus",
            "Доля учителей в возрасте свыше 55 лет",
            pl.col("teachers_over_55"),
            "teachers_total",
        ),
        _share(
            "non_specialist",
            "Доля учителей без профильной подготовки",
            pl.col("teachers_without_subject_training"),
            "teachers_total",
        ),
        _share(
            "category_high_first",
            "Доля учителей высшей и первой категории",
            pl.col("teachers_highest_category").fill_null(0)
            + pl.col("teachers_first_category").fill_null(0),
            "teachers_total",
        ),
        _share(
            "teachers_highest_share",
            "Доля учителей высшей категории",
            pl.col("teachers_highest_category"),
            "teachers_total",
        ),
        _share(
            "teachers_first_share",
            "Доля учителей первой категории",
            pl.col("teachers_first_category"),
            "teachers_total",
        ),
        ContextFigure(
            "teachers_total", "Учителей всего", "number", pl.col("teachers_total").cast(pl.Float64)
        ),
        ContextFigure(
            "teachers_marked_deficits",
            "Доля учителей с выраженными дефицитами",
            "share",
            _pct("teachers_marked_deficits_share"),
        ),
        ContextFigure(
            "specialists_missing",
            "Нет специалистов (из 4: психолог, дефектолог, логопед, соц. педагог)",
            "number",
            _specialists_missing(),
        ),
        ContextFigure(
            "teachers_iom_pk", "Доля учителей с ИОМ/ПК", "share", _pct("teachers_iom_pk_share")
        ),
        ContextFigure(
            "nnr_share", "Доля обучающихся с русским как неродным", "share", _pct("rkn_share")
        ),
        ContextFigure("ovz_share", "Доля обучающихся с ОВЗ", "share", _pct("ovz_share")),
        ContextFigure(
            "climate_index", "Индекс школьного климата", "number", pl.col("climate_index")
        ),
        ContextFigure(
            "motivation_index", "Индекс учебной мотивации", "number", pl.col("motivation_index")
        ),
        ContextFigure(
            "parent_involvement_index",
            "Индекс вовлечённости родителей",
            "number",
            pl.col("parent_involvement_index"),
        ),
        _share(
            "computers_outdated_share",
            "Доля устаревших (маломощных) компьютеров",
            pl.col("computers_outdated"),
            "computers_total",
        ),
        _share(
            "classrooms_projector_share",
            "Доля кабинетов с проекторами",
            pl.col("classrooms_with_projector"),
            "classrooms_total",
        ),
        _share(
            "classrooms_board_share",
            "Доля кабинетов с интерактивными досками",
            pl.col("classrooms_with_board"),
            "classrooms_total",
        ),
    ]
    return {figure.code: figure for figure in figures}
