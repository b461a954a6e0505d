"""Russian text of reasons: number formatting with a decimal comma and labels of codes.

`fmt_num`, `fmt_pct`, `fmt_pp` format one number in Python; `num_expr`, `pct_expr` are the same
formatting as Polars expressions, for reasons built over millions of rows (risk items, ИСБШ)
without a Python call per row. They give the very same text (property-tested against the Python
functions) for every |value| < 1e16 with up to 3 digits. `pp_expr` and `p_expr` do the same for
`fmt_pp` and `fmt_p` (the comparisons with similar schools); `num_series`, `pct_series`,
`pp_series`, `p_series` give the same text for a whole column, 3–4× faster (arithmetic rounding
where it cannot differ, the expressions elsewhere).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

NBSP = "\u00a0"

DEFAULT_PROCEDURES: dict[str, str] = {
    "vpr": "ВПР",
    "oge": "ОГЭ",
    "gve9": "ГВЭ-9",
    "ege": "ЕГЭ",
    "ege_base": "ЕГЭ (база)",
    "gve11": "ГВЭ-11",
    "regional_diag": "РДР",
}
DEFAULT_SUBJECTS: dict[str, str] = {
    "rus": "русский язык",
    "math": "математика",
    "math_base": "математика (базовый уровень)",
    "math_profile": "математика (профильный уровень)",
    "phys": "физика",
    "chem": "химия",
    "inf": "информатика",
    "bio": "биология",
    "hist": "история",
    "soc": "обществознание",
    "geo": "география",
    "lit": "литература",
    "env": "окружающий мир",
    "eng": "английский язык",
    "foreign": "иностранный язык",
}


# Examinations named without a grade («ОГЭ, математика, 2024»).
UNGRADED = frozenset({"oge", "gve9", "ege", "ege_base", "gve11"})


@dataclass(frozen=True)
class Labels:
    """Russian names of procedure and subject codes; unknown codes print as themselves."""

    procedures: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PROCEDURES))
    subjects: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_SUBJECTS))

    def procedure(self, code: str) -> str:
        return self.procedures.get(code, code)

    def subject(self, code: str) -> str:
        return self.subjects.get(code, code)

    def group(self, procedure: str, subject: str, grade: int | None, year: int) -> str:
        """«ВПР, математика, 6 класс, 2023» (the grade is omitted for ОГЭ/ЕГЭ)."""
        parts = [self.procedure(procedure), self.subject(subject)]
        if grade is not None and procedure not in UNGRADED:
            parts.append(f"{grade} класс")
        parts.append(str(year))
        return ", ".join(parts)

    def group_expr(
        self,
        procedure: pl.Expr | None = None,
        subject: pl.Expr | None = None,
        grade: pl.Expr | None = None,
        year: pl.Expr | None = None,
    ) -> pl.Expr:
        """`group` as an expression (by default over the columns of the same names)."""
        proc = pl.col("procedure") if procedure is None else procedure
        subj = pl.col("subject") if subject is None else subject
        grade = pl.col("grade") if grade is None else grade
        year = pl.col("year") if year is None else year
        with_grade = grade.is_not_null() & ~proc.is_in(sorted(UNGRADED))
        return cat(
            proc.replace_strict(dict(self.procedures), default=proc, return_dtype=pl.String),
            ", ",
            subj.replace_strict(dict(self.subjects), default=subj, return_dtype=pl.String),
            ", ",
            pl.when(with_grade).then(cat(grade.cast(pl.String), " класс, ")).otherwise(pl.lit("")),
            year.cast(pl.String),
        )


DEFAULT_LABELS = Labels()


def fmt_num(value: float | int | None, digits: int = 1) -> str:
    """A number with a decimal comma, rounded half up: 0.345 → «0,3» (digits=1); None, ±inf and
    NaN → «—»."""
    if value is None or not math.isfinite(value):
        return "—"
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return str(rounded).replace(".", ",").replace("-", "−")


def fmt_pct(share: float | None, digits: int = 1) -> str:
    """A share 0–1 as a percentage: 0.34 → «34,0 %» (digits=1), 15/16 → «94 %» (digits=0)."""
    if share is None:
        return "—"
    return f"{fmt_num(share * 100, digits)}{NBSP}%"


def fmt_pp(delta: float, digits: int = 1) -> str:
    """A difference of shares in percentage points with its sign: «+12,0 п.п.»."""
    sign = "+" if delta > 0 else ""
    return f"{sign}{fmt_num(delta * 100, digits)}{NBSP}п.п."


def fmt_p(p_value: float) -> str:
    """A p-value: «p = 0,020»; below 0,001 «p < 0,001»."""
    return "p < 0,001" if p_value < 0.001 else f"p = {fmt_num(p_value, 3)}"


def num_expr(value: pl.Expr, digits: int = 1) -> pl.Expr:
    """`fmt_num` as an expression: round half up the shortest decimal form of the float (Polars
    writes the same digits as Python's `repr`), decimal comma, «−» for negatives; null, NaN and
    ±inf → «—». Exact for |value| < 1e16 and `digits` ≤ 3 (values below 1e-5, which Polars
    writes in exponent form, round to zero there)."""
    if not 0 <= digits <= 3:
        raise ValueError("num_expr formats 0 to 3 digits")
    v = value.cast(pl.Float64)
    text = v.abs().cast(pl.String)
    parts = text.str.split_exact(".", 1)
    padded = parts.struct.field("field_1").fill_null("").str.pad_end(digits + 1, "0")
    tiny = text.str.contains("e-", literal=True)
    kept = (parts.struct.field("field_0") + padded.str.slice(0, digits)).cast(
        pl.UInt64, strict=False
    )
    up = (padded.str.slice(digits, 1) >= "5").cast(pl.UInt64)
    n = pl.when(tiny).then(pl.lit(0, pl.UInt64)).otherwise(kept + up)
    if digits:
        scale = 10**digits
        body = pl.concat_str(
            (n // scale).cast(pl.String), pl.lit(","), (n % scale).cast(pl.String).str.zfill(digits)
        )
    else:
        body = n.cast(pl.String)
    sign = pl.when((v < 0) & (n > 0)).then(pl.lit("−")).otherwise(pl.lit(""))
    return (
        pl.when(v.is_null() | v.is_nan() | v.is_infinite())
        .then(pl.lit("—"))
        .otherwise(pl.concat_str(sign, body))
    )


def pct_expr(share: pl.Expr, digits: int = 1) -> pl.Expr:
    """`fmt_pct` as an expression (null → «—»)."""
    return (
        pl.when(share.is_null())
        .then(pl.lit("—"))
        .otherwise(pl.concat_str(num_expr(share * 100, digits), pl.lit(f"{NBSP}%")))
    )


def pp_expr(delta: pl.Expr, digits: int = 1) -> pl.Expr:
    """`fmt_pp` as an expression («+» only above zero, as in Python; null → «—»)."""
    return _pp_text(delta, num_expr(delta * 100, digits))


def _pp_text(delta: pl.Expr, number: pl.Expr) -> pl.Expr:
    sign = pl.when((delta > 0) & delta.is_not_nan()).then(pl.lit("+")).otherwise(pl.lit(""))
    return (
        pl.when(delta.is_null())
        .then(pl.lit("—"))
        .otherwise(pl.concat_str(sign, number, pl.lit(f"{NBSP}п.п.")))
    )


def p_expr(p_value: pl.Expr) -> pl.Expr:
    """`fmt_p` as an expression (NaN → «p = —» as in Python; null → «—»)."""
    return _p_text(p_value, num_expr(p_value, 3))


def _p_text(p_value: pl.Expr, number: pl.Expr) -> pl.Expr:
    return (
        pl.when(p_value.is_null())
        .then(pl.lit("—"))
        .when(p_value < 0.001)
        .then(pl.lit("p < 0,001"))
        .otherwise(pl.concat_str(pl.lit("p = "), number))
    )


def num_series(values: pl.Series, digits: int = 1) -> pl.Series:
    """`num_expr` of a column, the same text, faster: |value| × 10^digits is rounded half up by
    arithmetic wherever that cannot differ from rounding its shortest decimal form (below 10⁹
    and farther than 10⁻⁶ from a half: the product's error is below 2·10⁻⁷ there), and
    `num_expr` formats the other rows (ties such as 0,345, huge values, null, NaN, ±inf)."""
    if not 0 <= digits <= 3:
        raise ValueError("num_series formats 0 to 3 digits")
    v = pl.col("v")
    frame = values.cast(pl.Float64).rename("v").to_frame().with_row_index("i")
    frame = frame.with_columns(x=v.abs() * 10**digits).with_columns(frac=pl.col("x").mod(1.0))
    easy = ((pl.col("x") < 1e9) & ((pl.col("frac") - 0.5).abs() > 1e-6)).fill_null(False)
    n = (pl.col("x").floor() + (pl.col("frac") > 0.5).cast(pl.Float64)).cast(pl.UInt64)
    if digits:
        scale = 10**digits
        body = pl.concat_str(
            (n // scale).cast(pl.String), pl.lit(","), (n % scale).cast(pl.String).str.zfill(digits)
        )
    else:
        body = n.cast(pl.String)
    sign = pl.when((v < 0) & (n > 0)).then(pl.lit("−")).otherwise(pl.lit(""))
    fast = frame.filter(easy).select("i", t=pl.concat_str(sign, body))
    slow = frame.filter(~easy).select("i", t=num_expr(v, digits))
    return pl.concat([fast, slow]).sort("i").get_column("t").rename(values.name)


def pct_series(shares: pl.Series, digits: int = 1) -> pl.Series:
    """`pct_expr` of a column, by `num_series`."""
    text = num_series(shares.cast(pl.Float64) * 100, digits)
    pct = pl.when(pl.col("v").is_null()).then(pl.lit("—")).otherwise(pl.col("t") + f"{NBSP}%")
    return _with_number(shares, text, pct)


def pp_series(deltas: pl.Series, digits: int = 1) -> pl.Series:
    """`pp_expr` of a column, by `num_series`."""
    text = num_series(deltas.cast(pl.Float64) * 100, digits)
    return _with_number(deltas, text, _pp_text(pl.col("v"), pl.col("t")))


def p_series(p_values: pl.Series) -> pl.Series:
    """`p_expr` of a column, by `num_series`."""
    return _with_number(p_values, num_series(p_values, 3), _p_text(pl.col("v"), pl.col("t")))


def _with_number(values: pl.Series, text: pl.Series, expr: pl.Expr) -> pl.Series:
    """`expr` over `v` (the values) and `t` (their number already formatted)."""
    frame = pl.DataFrame({"v": values, "t": text})
    return frame.select(expr.alias(values.name)).to_series()


def cat(*parts: str | pl.Expr) -> pl.Expr:
    """Concatenate text pieces: Python strings are literals (not column names)."""
    return pl.concat_str([pl.lit(p) if isinstance(p, str) else p for p in parts])


def formatted(values: pl.Series, digits: int = 1, pct: bool = False) -> pl.Series:
    """`num_expr` (or `pct_expr`) of a column, formatted once per distinct value and joined
    back (a column of millions of rows has far fewer distinct values; NaN matches NaN, and
    −0,0 matches 0,0, which reads the same)."""
    fmt = pct_expr if pct else num_expr
    v = values.cast(pl.Float64).rename("v")
    table = v.unique().to_frame().with_columns(t=fmt(pl.col("v"), digits))
    out = v.to_frame().join(table, on="v", how="left", nulls_equal=True, maintain_order="left")
    return out.get_column("t")
