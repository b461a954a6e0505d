"""Small dense linear algebra in pure Python (numpy is not a dependency of the project).

Used for weighted least squares on a handful of covariates: the normal equations
(XᵀWX) b = XᵀWy are solved by Gaussian elimination with partial pivoting (Golub & Van Loan,
«Matrix Computations», 4th ed., 2013, §3.2–3.4). The matrices are at most ~12 × 12.
"""

from __future__ import annotations

Matrix = list[list[float]]


class SingularMatrixError(ValueError):
    """The system has no unique solution (a pivot is numerically zero)."""


def solve(a: Matrix, b: list[float], tol: float = 1e-10) -> list[float]:
    """Solve a x = b (a square) by Gaussian elimination with partial pivoting."""
    n = len(a)
    m = [[*row, rhs] for row, rhs in zip(a, b, strict=True)]
    scale = max((abs(v) for row in a for v in row), default=0.0) or 1.0
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        if abs(m[pivot][col]) <= tol * scale:
            raise SingularMatrixError(f"singular at column {col}")
        m[col], m[pivot] = m[pivot], m[col]
        for row in range(col + 1, n):
            factor = m[row][col] / m[col][col]
            if factor:
                for k in range(col, n + 1):
                    m[row][k] -= factor * m[col][k]
    x = [0.0] * n
    for row in range(n - 1, -1, -1):
        acc = m[row][n] - sum(m[row][k] * x[k] for k in range(row + 1, n))
        x[row] = acc / m[row][row]
    return x


def invert(a: Matrix) -> Matrix:
    """The inverse of a square matrix, column by column with `solve`."""
    n = len(a)
    columns = [solve(a, [1.0 if i == j else 0.0 for i in range(n)]) for j in range(n)]
    return [[columns[j][i] for j in range(n)] for i in range(n)]
