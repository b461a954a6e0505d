"""Named significance tests and confidence intervals in pure Python (scipy is not a dependency).

* Exact one-sided binomial test, P(X ≥ k) summed term by term.
* Wilson score interval for a proportion (Wilson, 1927, JASA 22:209–212).
* Newcombe's hybrid score interval for a difference of two independent proportions, built from
  the two Wilson intervals (Newcombe, 1998, Statistics in Medicine 17:873–890, method 10).
* Welch's t-test for two means with unequal variances and the Welch–Satterthwaite degrees of
  freedom (Welch, 1947, Biometrika 34:28–35). The Student t distribution function uses the
  regularised incomplete beta function, I_x(a, b), evaluated by its continued fraction with the
  modified Lentz method (Press et al., «Numerical Recipes», 3rd ed., 2007, §6.4).
The normal quantile comes from `statistics.NormalDist` (standard library).
"""

from __future__ import annotations

import math
from statistics import NormalDist


def z_quantile(confidence: float) -> float:
    """Two-sided normal critical value: 0,95 → 1,959964."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(k: float, n: float, confidence: float) -> tuple[float, float]:
    """Wilson score interval for k successes of n."""
    z = z_quantile(confidence)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(k1: float, n1: float, k2: float, n2: float, confidence: float) -> tuple[float, float]:
    """Interval for p1 − p2 (Newcombe's method 10)."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, confidence)
    l2, u2 = wilson(k2, n2, confidence)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt(
        (u1 - p1) ** 2 + (p2 - l2) ** 2
    )


def binom_tail(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Bin(n, p): the exact one-sided binomial test (Clopper & Pearson, 1934)."""
    if k <= 0:
        return 1.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return min(1.0, sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1)))


def _betacf(a: float, b: float, x: float) -> float:
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1 + aa * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < eps:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1 - front * _betacf(b, a, 1 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with `df` degrees of freedom."""
    return betainc(df / 2, 0.5, df / (df + t * t))


def t_pdf(t: float, df: float) -> float:
    """Density of Student's t."""
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def t_quantile(confidence: float, df: float) -> float:
    """Two-sided critical value of Student's t: the Cornish–Fisher expansion (Abramowitz & Stegun
    26.7.5) for df ≥ 30, else Newton's method on P(|T| ≥ t) = 1 − confidence started there
    (df ≥ 3) or at the normal quantile."""
    alpha = 1 - confidence
    z = z_quantile(confidence)
    # Start: the Cornish–Fisher expansion of Abramowitz & Stegun 26.7.5 (close to the root).
    g = [
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    ]
    t = z + sum(gi / df ** (i + 1) for i, gi in enumerate(g)) if df >= 3 else z
    if df >= 30:  # the expansion is then exact to ~1e-7, below any printed digit
        return t
    for _ in range(100):
        step = (t_two_sided_p(t, df) - alpha) / (2 * t_pdf(t, df))
        t += step
        if abs(step) < 1e-12 * max(1.0, t):
            break
    return t


def welch(
    m1: float, v1: float, n1: float, m2: float, v2: float, n2: float, confidence: float
) -> tuple[float, float, float, float, float] | None:
    """Welch's t-test: (t, df, two-sided p, CI low, CI high) for m1 − m2; None when undefined."""
    se2 = v1 / n1 + v2 / n2
    if se2 <= 0 or n1 < 2 or n2 < 2:
        return None
    se = math.sqrt(se2)
    df = se2**2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
    t = (m1 - m2) / se
    q = t_quantile(confidence, df)
    return t, df, t_two_sided_p(t, df), m1 - m2 - q * se, m1 - m2 + q * se
