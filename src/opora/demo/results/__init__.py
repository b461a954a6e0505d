"""Demo assessment results (ВПР, ОГЭ, ЕГЭ, journal marks, medalists) with planted cases.

`build_results` is the generation step; the truth of the planted cases goes to
`demo-truth.json` next to the database (see docs/demo-data.md, «Results»).
"""

from opora.demo.results.step import build_results, truth_path

__all__ = ["build_results", "truth_path"]
