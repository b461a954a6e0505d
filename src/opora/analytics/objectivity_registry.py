"""Registry of the objectivity markers (METHODOLOGY §5) and the frame of their signals.

Every marker is a registered unit: code, Russian name, the methodology block of its parameters,
the data it needs. A marker function returns *signals*: one row per evaluated unit (school ×
year × procedure × subject × grade, or school × year for medalists) with the value, the threshold,
the reference, N, whether it fired and a Russian reason. Units below their minimum size are not
evaluated (no row), so a small group never fires a marker.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from opora.analytics.methodology import Methodology
from opora.analytics.significance import binom_tail


@dataclass(frozen=True)
class Marker:
    """An objectivity marker: `code`, Russian `name`, `params` path in the methodology, `needs`."""

    code: str
    name: str
    params: str
    needs: str
    section: str


MARKERS: dict[str, Marker] = {}


def register(marker: Marker) -> Marker:
    """Add a marker to the registry (codes are unique)."""
    if marker.code in MARKERS:
        raise ValueError(f"marker {marker.code} registered twice")
    MARKERS[marker.code] = marker
    return marker


for _marker in (
    Marker("M1", "Высокий результат ВПР не подтверждён ОГЭ/ЕГЭ", "objectivity.m1", "groups", "5.2"),
    Marker(
        "M2", "Инверсия лёгких и трудных заданий", "objectivity.m2", "поэлементные баллы", "5.2"
    ),
    Marker("M3", "Несогласованность результатов когорты", "objectivity.m3", "groups", "5.2"),
    Marker("M4", "Пики на границах отметок", "objectivity.m4", "student_results", "5.2"),
    Marker("M4T", "Распределение отметок смещено к высшей", "objectivity.m4_top", "groups", "5.2"),
    Marker("M5", "Расхождение отметок ВПР и журнала", "objectivity.m5", "student_results", "5.2"),
    Marker("M6", "Снижение при контроле объективности", "objectivity.m6", "student_results", "5.2"),
    Marker("M7", "Резкий рост с последующим падением", "objectivity.m7", "groups", "5.2"),
    Marker("IM_OGE", "Отметка ОГЭ ниже годовой", "internal_marks", "student_results", "5.3"),
    Marker(
        "IM_EGE",
        "Балл ЕГЭ не подтверждает годовую отметку",
        "internal_marks",
        "student_results",
        "5.3",
    ),
    Marker(
        "IM_MIN", "Годовая «4»/«5» и балл ниже минимума", "internal_marks", "student_results", "5.3"
    ),
    Marker("MED", "Медалисты без подтверждения ЕГЭ", "medals", "student_results", "5.4"),
):
    register(_marker)

SIGNAL_SCHEMA: dict[str, pl.DataType] = {
    "school_id": pl.Int64(),
    "year": pl.Int64(),
    "marker": pl.String(),
    "procedure": pl.String(),
    "subject": pl.String(),
    "grade": pl.Int64(),
    "n": pl.Int64(),
    "value": pl.Float64(),
    "threshold": pl.Float64(),
    "reference": pl.Float64(),
    "fired": pl.Boolean(),
    "reason": pl.String(),
}
SIGNAL_KEY = ["school_id", "year", "marker", "procedure", "subject", "grade"]


def signals(rows: list[dict]) -> pl.DataFrame:
    """A signal frame from dicts (missing columns null), sorted by its key."""
    frame = pl.DataFrame(
        [{name: row.get(name) for name in SIGNAL_SCHEMA} for row in rows], schema=SIGNAL_SCHEMA
    )
    return frame.sort(SIGNAL_KEY, nulls_last=True)


def vpr_units(methodology: Methodology) -> list[tuple[str, int]]:
    """(subject code, grade) of the ВПР procedures the markers cover (`objectivity.procedures`,
    labels like «4 РУ» mapped with `objectivity.subject_codes`)."""
    codes = methodology.param("objectivity.subject_codes")
    units = []
    for label in methodology.param("objectivity.procedures"):
        grade, abbr = label.split()
        units.append((codes[abbr], int(grade)))
    return sorted(units)


def vpr_unit_filter(methodology: Methodology) -> pl.Expr:
    """True for ВПР rows of the covered (subject, grade) pairs."""
    expr = pl.lit(False)
    for subject, grade in vpr_units(methodology):
        expr = expr | ((pl.col("subject") == subject) & (pl.col("grade") == grade))
    return (pl.col("procedure") == "vpr") & expr


def with_binom_p(
    frame: pl.DataFrame, name: str, k: pl.Expr, n: pl.Expr, p: pl.Expr, where: pl.Expr
) -> pl.DataFrame:
    """`frame` + column `name` = P(X ≥ k), X ~ Bin(n, p) (exact one-sided binomial test),
    computed only on the rows where `where` holds (null elsewhere) — the test is Python-level."""
    indexed = frame.with_row_index("_row")
    todo = indexed.filter(where.fill_null(False)).select("_row", _k=k, _n=n, _p=p)
    values = [binom_tail(int(a), int(b), float(c)) for _, a, b, c in todo.iter_rows()]
    tested = pl.DataFrame(
        {"_row": todo["_row"], name: values}, schema={"_row": pl.UInt32, name: pl.Float64}
    )
    return indexed.join(tested, on="_row", how="left").sort("_row").drop("_row")
