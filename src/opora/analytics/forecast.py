"""L2-penalised logistic regression fitted by Newton–Raphson / IRLS, over Polars columns.

Maximises Σ [y log p + (1 − y) log(1 − p)] − Σ_k b_k² / (2C) (intercept not penalised); each
Newton step solves (XᵀWX + I'/C) Δ = Xᵀ(y − p) − I'b/C with W = p(1 − p) (McCullagh & Nelder,
«Generalized Linear Models», 2nd ed., 1989, §4.4; Hastie, Tibshirani & Friedman, «The Elements of
Statistical Learning», 2nd ed., 2009, §4.4.1 and §4.4.4). Deterministic: zero start, fixed
tolerance. The sums are Polars aggregations, so n can be large; p is small.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from opora.analytics.linalg import SingularMatrixError, solve
from opora.analytics.stats import fold_sum


@dataclass(frozen=True)
class Logit:
    """A fitted model on standardised features: `coef` (intercept first), `mean`, `sd`."""

    features: list[str]
    coef: list[float]
    mean: dict[str, float]
    sd: dict[str, float]

    def standardised(self) -> list[pl.Expr]:
        """Standardised features (training mean/sd; missing values → 0, the training mean)."""
        return [
            ((pl.col(f) - self.mean[f]) / self.sd[f]).fill_null(0.0).fill_nan(0.0).alias(f"_x_{f}")
            for f in self.features
        ]

    def linear(self) -> pl.Expr:
        """b0 + Σ b_k x_k over the standardised columns `_x_<feature>`."""
        terms = [self.coef[i + 1] * pl.col(f"_x_{f}") for i, f in enumerate(self.features)]
        return pl.lit(self.coef[0]) + fold_sum(terms)

    def predict(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` + `p` and the contributions `c_<feature>` = b_k x_k."""
        out = frame.with_columns(self.standardised())
        contributions = [
            (self.coef[i + 1] * pl.col(f"_x_{f}")).alias(f"c_{f}")
            for i, f in enumerate(self.features)
        ]
        return out.with_columns(contributions, p=1 / (1 + (-self.linear()).exp())).drop(
            [f"_x_{f}" for f in self.features]
        )


def fit_logit(
    frame: pl.DataFrame, features: list[str], label: str, c: float, max_iter: int = 50
) -> Logit:
    """Fit on `frame` (float features, 0/1 `label`); features standardised on `frame`."""
    # One contiguous chunk: float sums over several chunks depend on where the chunks break
    # (which joins decide, thread by thread), so the fit would differ in the last bits.
    frame = frame.rechunk()
    mean = {f: float(frame[f].mean() or 0.0) for f in features}  # type: ignore[arg-type]
    sd = {f: float(frame[f].std() or 1.0) or 1.0 for f in features}  # type: ignore[arg-type]
    model = Logit(features, [0.0] * (len(features) + 1), mean, sd)
    data = frame.with_columns(
        model.standardised(), _y=pl.col(label).cast(pl.Float64), _1=pl.lit(1.0)
    )
    cols = ["_1", *[f"_x_{f}" for f in features]]
    for _ in range(max_iter):
        p = 1 / (1 + (-model.linear()).exp())
        step = data.with_columns(_p=p).with_columns(_w=pl.col("_p") * (1 - pl.col("_p")))
        sums = step.select(
            *[
                (pl.col("_w") * pl.col(a) * pl.col(b)).sum().alias(f"{a}*{b}")
                for i, a in enumerate(cols)
                for b in cols[i:]
            ],
            *[(pl.col(a) * (pl.col("_y") - pl.col("_p"))).sum().alias(f"g{a}") for a in cols],
        ).row(0, named=True)
        k = len(cols)
        hess = [[sums[f"{cols[min(i, j)]}*{cols[max(i, j)]}"] for j in range(k)] for i in range(k)]
        grad = [sums[f"g{a}"] for a in cols]
        for i in range(1, k):
            hess[i][i] += 1 / c
            grad[i] -= model.coef[i] / c
        try:
            delta = solve(hess, grad)
        except SingularMatrixError:
            break
        model = Logit(features, [b + d for b, d in zip(model.coef, delta, strict=True)], mean, sd)
        if max(abs(d) for d in delta) < 1e-8:
            break
    return model


def auc(frame: pl.DataFrame, score: str, label: str) -> float | None:
    """ROC AUC by the Mann–Whitney statistic (ties averaged); None without both classes."""
    data = frame.filter(pl.col(score).is_not_null())
    pos = int(data[label].sum())
    neg = data.height - pos
    if pos == 0 or neg == 0:
        return None
    ranks = data.select(pl.col(score).rank("average").filter(pl.col(label)).sum()).item()
    return (ranks - pos * (pos + 1) / 2) / (pos * neg)
