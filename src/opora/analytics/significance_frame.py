"""The tests of `significance` over whole columns, for millions of comparisons at once.

The same formulas and the same floating-point operations in the same order as the scalar
functions (which stay the reference, used by pages and tests), so the results agree with them
to the last bit (Python's `x ** 2` calls the C `pow`, and so does `_pow` here):

* Wilson score interval (Wilson, 1927, JASA 22:209–212) and Newcombe's hybrid score interval
  for a difference of proportions (Newcombe, 1998, Statistics in Medicine 17:873–890, method
  10): closed forms, Polars expressions.
* Welch's t-test (Welch, 1947, Biometrika 34:28–35): t, the Welch–Satterthwaite df and the
  interval are closed forms; the two-sided p-value and the Student t quantile need the
  regularised incomplete beta I_x(a, b), evaluated by its continued fraction with the modified
  Lentz method (Press et al., «Numerical Recipes», 3rd ed., 2007, §6.4) — here a loop whose every
  iteration is one column operation over the rows not yet converged (converged rows leave the
  working frame, so the cost follows the slowest rows only as far as they go).
* ln Γ: the Lanczos approximation (Lanczos, 1964, SIAM J. Numer. Anal. B 1:86–96) as CPython's
  `math.lgamma` computes it (g = 6,024680040776729583740234375, 13 terms; Modules/mathmodule.c),
  bit for bit.
The quantile is Newton's method started at the Cornish–Fisher expansion, as `t_quantile`.
Inputs are finite; degrees of freedom and Γ arguments positive.
"""

from __future__ import annotations

import math

import polars as pl

from opora.analytics.significance import z_quantile

_LANCZOS_G = 6.024680040776729583740234375
_LANCZOS_NUM = (
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
)
_LANCZOS_DEN = (
    *(0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0),
    *(2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0),
)
_TINY, _EPS, _MAX_CF = 1e-300, 1e-15, 300
_MAX_NEWTON = 100


def wilson_exprs(k: pl.Expr, n: pl.Expr, confidence: float) -> tuple[pl.Expr, pl.Expr]:
    """`significance.wilson` as two expressions (low, high) for k successes of n."""
    z = z_quantile(confidence)
    zz = z * z
    p = k / n
    centre = (p + zz / (2 * n)) / (1 + zz / n)
    half = z / (1 + zz / n) * (p * (1 - p) / n + zz / (4 * n * n)).sqrt()
    low, high = centre - half, centre + half
    # Python's max(0.0, x) / min(1.0, x): the bound unless x is beyond it.
    return (
        pl.when(low > 0).then(low).otherwise(0.0),
        pl.when(high < 1).then(high).otherwise(1.0),
    )


def newcombe_exprs(
    k1: pl.Expr, n1: pl.Expr, k2: pl.Expr, n2: pl.Expr, confidence: float
) -> tuple[pl.Expr, pl.Expr]:
    """`significance.newcombe` (method 10) as two expressions for p1 − p2."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_exprs(k1, n1, confidence)
    l2, u2 = wilson_exprs(k2, n2, confidence)
    d = p1 - p2
    return (
        d - (_sq(p1 - l1) + _sq(u2 - p2)).sqrt(),
        d + (_sq(u1 - p1) + _sq(p2 - l2)).sqrt(),
    )


def _pow(x: pl.Expr, k: float) -> pl.Expr:
    """x ** k as Python computes it, by the C `pow` (Polars multiplies for a literal exponent,
    which may differ in the last bit)."""
    return x.pow(pl.repeat(float(k), pl.len()))


def _sq(x: pl.Expr) -> pl.Expr:
    return _pow(x, 2)


def lgamma_expr(x: pl.Expr) -> pl.Expr:
    """ln Γ(x) for x > 0, exactly as CPython's `math.lgamma`."""
    small_num, small_den = pl.lit(0.0), pl.lit(0.0)
    for i in reversed(range(13)):  # x < 5: Horner in x
        small_num = small_num * x + _LANCZOS_NUM[i]
        small_den = small_den * x + _LANCZOS_DEN[i]
    big_num, big_den = pl.lit(0.0), pl.lit(0.0)
    for i in range(13):  # otherwise in 1/x
        big_num = big_num / x + _LANCZOS_NUM[i]
        big_den = big_den / x + _LANCZOS_DEN[i]
    lsum = pl.when(x < 5.0).then(small_num / small_den).otherwise(big_num / big_den)
    r = lsum.log() - _LANCZOS_G
    r = r + (x - 0.5) * ((x + _LANCZOS_G - 0.5).log() - 1)
    return (
        pl.when((x == x.floor()) & (x <= 2.0))
        .then(0.0)
        .when(x.abs() < 1e-20)
        .then(-x.abs().log())
        .otherwise(r)
    )


def _clamp(v: pl.Expr) -> pl.Expr:
    return pl.when(v.abs() > _TINY).then(v).otherwise(_TINY)


def _betacf(frame: pl.DataFrame) -> pl.DataFrame:
    """The continued fraction of `significance._betacf` for every row of `frame` (columns `i`,
    `a`, `b`, `x`): returns (`i`, `h`), rows in any order."""
    a, b, x = pl.col("a"), pl.col("b"), pl.col("x")
    c, d = pl.col("c"), pl.col("d")
    active = frame.select(
        "i", "a", "b", "x", qab=a + b, qap=a + 1, qam=a - 1, c=pl.lit(1.0)
    ).with_columns(d=1 / _clamp(1 - pl.col("qab") * x / pl.col("qap")))
    active = active.with_columns(h=pl.col("d"))
    done = []
    for m in range(1, _MAX_CF):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((pl.col("qam") + m2) * (a + m2)),
            -(a + m) * (pl.col("qab") + m) * x / ((a + m2) * (pl.col("qap") + m2)),
        ):
            active = active.with_columns(d=1 / _clamp(1 + aa * d), c=_clamp(1 + aa / c))
            active = active.with_columns(h=pl.col("h") * (d * c))
        converged = (d * c - 1).abs() < _EPS
        done.append(active.filter(converged).select("i", "h"))
        active = active.filter(~converged)
        if active.is_empty():
            break
    return pl.concat([*done, active.select("i", "h")])


def betainc_frame(frame: pl.DataFrame) -> pl.Series:
    """`significance.betainc` row by row: I_x(a, b) for the columns `a`, `b`, `x` and `lnb`, the
    log-beta term lnΓ(a + b) − lnΓ(a) − lnΓ(b) (fixed per row while x varies, e.g. in Newton's
    method, so computed once by the caller)."""
    a, b, x = pl.col("a"), pl.col("b"), pl.col("x")
    rows = frame.select(a, b, x, "lnb").with_row_index("i")
    rows = rows.with_columns(
        front=(pl.col("lnb") + a * x.log() + b * (-x).log1p()).exp(),
        swap=~(x < (a + 1) / (a + b + 2)),
        inside=(x > 0) & (x < 1),
    )
    todo = rows.filter("inside").select(
        "i",
        a=pl.when("swap").then(b).otherwise(a),
        b=pl.when("swap").then(a).otherwise(b),
        x=pl.when("swap").then(1 - x).otherwise(x),
    )
    h = pl.col("h")
    out = rows.join(_betacf(todo), on="i", how="left").sort("i")
    return out.select(
        pl.when(x <= 0)
        .then(0.0)
        .when(x >= 1)
        .then(1.0)
        .when(pl.col("swap"))
        .then(1 - pl.col("front") * h / b)
        .otherwise(pl.col("front") * h / a)
    ).to_series()


def _t_terms(df: pl.Expr) -> dict[str, pl.Expr]:
    """Per-row constants of the t distribution: a = df/2, the log-beta term of its p-value and
    the log normalising constant of its density."""
    lg_half = lgamma_expr(df / 2)
    return {
        "a": df / 2,
        "b": pl.lit(0.5),
        "lnb": lgamma_expr(df / 2 + 0.5) - lg_half - math.lgamma(0.5),
        "log_c": lgamma_expr((df + 1) / 2) - lg_half - 0.5 * (df * math.pi).log(),
    }


def _t_p(frame: pl.DataFrame, t: pl.Expr) -> pl.Series:
    """P(|T| ≥ |t|) for each row of a frame with `df` and the `_t_terms` columns."""
    df = pl.col("df")
    return betainc_frame(frame.with_columns(x=df / (df + t * t)))


def t_two_sided_p_frame(t: pl.Series, df: pl.Series) -> pl.Series:
    """`significance.t_two_sided_p` row by row."""
    frame = pl.DataFrame({"t": t, "df": df}).with_columns(**_t_terms(pl.col("df")))
    return _t_p(frame, pl.col("t")).rename("p_value")


def t_quantile_frame(confidence: float, df: pl.Series) -> pl.Series:
    """`significance.t_quantile` for each df: the Cornish–Fisher expansion (Abramowitz & Stegun
    26.7.5) for df ≥ 30, else Newton's method on P(|T| ≥ t) = 1 − confidence, the rows iterated
    together until each one's step is below 1e-12·max(1, t)."""
    alpha = 1 - confidence
    z = z_quantile(confidence)
    g = [
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    ]
    v = pl.col("df")
    powers = [v, _pow(v, 2), _pow(v, 3), _pow(v, 4)]
    series = g[0] / powers[0]
    for gi, power in zip(g[1:], powers[1:], strict=True):
        series = series + gi / power
    start = pl.when(v >= 3).then(z + series).otherwise(z)
    rows = pl.DataFrame({"df": df}).with_row_index("i").with_columns(t=start)
    active = rows.filter(~(v >= 30)).with_columns(**_t_terms(v))
    done = [rows.filter(v >= 30).select("i", "t")]
    t = pl.col("t")
    for _ in range(_MAX_NEWTON):
        if active.is_empty():
            break
        p = _t_p(active, t)
        pdf = (pl.col("log_c") - (v + 1) / 2 * (t * t / v).log1p()).exp()
        active = active.with_columns(step=(p - alpha) / (2 * pdf)).with_columns(
            t=t + pl.col("step")
        )
        converged = pl.col("step").abs() < 1e-12 * pl.max_horizontal(pl.lit(1.0), t)
        done.append(active.filter(converged).select("i", "t"))
        active = active.filter(~converged)
    done.append(active.select("i", "t"))
    return pl.concat(done).sort("i").get_column("t").rename("t_quantile")


def welch_frame(
    m1: pl.Series,
    v1: pl.Series,
    n1: pl.Series,
    m2: pl.Series,
    v2: pl.Series,
    n2: pl.Series,
    confidence: float,
) -> pl.DataFrame:
    """`significance.welch` row by row: columns `defined` (False where the scalar function
    returns None: se² ≤ 0 or a group below 2) and `t`, `df`, `p_value`, `ci_low`, `ci_high`
    (null where not defined)."""
    s = pl.DataFrame({"m1": m1, "v1": v1, "n1": n1, "m2": m2, "v2": v2, "n2": n2})
    s1, s2 = pl.col("v1") / pl.col("n1"), pl.col("v2") / pl.col("n2")
    s = s.with_row_index("i").with_columns(se2=s1 + s2, r1=s1, r2=s2)
    s = s.with_columns(defined=~(pl.col("se2") <= 0) & (pl.col("n1") >= 2) & (pl.col("n2") >= 2))
    ok = s.filter("defined").with_columns(
        se=pl.col("se2").sqrt(),
        df=_sq(pl.col("se2"))
        / (_sq(pl.col("r1")) / (pl.col("n1") - 1) + _sq(pl.col("r2")) / (pl.col("n2") - 1)),
        diff=pl.col("m1") - pl.col("m2"),
    )
    ok = ok.with_columns(t=pl.col("diff") / pl.col("se"))
    ok = ok.with_columns(
        p_value=t_two_sided_p_frame(ok["t"], ok["df"]), q=t_quantile_frame(confidence, ok["df"])
    ).select(
        "i",
        "t",
        "df",
        "p_value",
        ci_low=pl.col("diff") - pl.col("q") * pl.col("se"),
        ci_high=pl.col("diff") + pl.col("q") * pl.col("se"),
    )
    return s.select("i", "defined").join(ok, on="i", how="left", maintain_order="left").drop("i")
