"""The pure analytics core of Opora: Polars frames and a methodology in, results with reasons out.

Nothing here imports Django or any other `opora` package (an import-linter contract enforces it).
Input frames are described in `schemas`, parameters in `methodology`; every rule is a function
`(frames..., methodology) -> pl.DataFrame` with a `reasons` column of Russian strings and a sorted,
input-order-independent row order. See docs/analytics.md.
"""
