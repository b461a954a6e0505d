"""Comparing two methodologies on the same data: who enters and leaves each list, and why.

Both methodologies run over one load of the region's frames (without the per-school peer
comparisons, which no list depends on); nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from opora.analysis.loaders import load_frames
from opora.analysis.models import Methodology
from opora.analysis.services import compute
from opora.analytics.pipeline import AnalysisResult
from opora.territory.models import School


@dataclass
class ListChange:
    """One school whose membership of a list differs (or not) between the methodologies."""

    school_id: int
    name: str
    municipality: str
    in_a: bool
    in_b: bool
    reasons_a: list[str]
    reasons_b: list[str]

    @property
    def change(self) -> str:
        if self.in_a and not self.in_b:
            return "выходит"
        if self.in_b and not self.in_a:
            return "входит"
        return "остаётся"


@dataclass
class ListComparison:
    """One list (ШНОР, objectivity, registry) under both methodologies."""

    title: str
    count_a: int
    count_b: int
    changes: list[ListChange] = field(default_factory=list)

    @property
    def entering(self) -> list[ListChange]:
        return [c for c in self.changes if c.change == "входит"]

    @property
    def leaving(self) -> list[ListChange]:
        return [c for c in self.changes if c.change == "выходит"]

    @property
    def staying(self) -> int:
        return sum(c.change == "остаётся" for c in self.changes)


@dataclass
class Comparison:
    a: Methodology
    b: Methodology
    year: int
    lists: list[ListComparison]
    warnings_a: list[str]
    warnings_b: list[str]


def _members(result: AnalysisResult, which: str) -> dict[int, list[str]]:
    year = result.year
    if which == "shnor":
        frame = result.shnor.filter("is_shnor")
    elif which == "objectivity":
        frame = result.objectivity.filter((pl.col("year") == year) & pl.col("has_signs"))
    else:
        frame = result.clusters.filter(pl.col("nor") | pl.col("ssu"))
    return {row["school_id"]: list(row["reasons"] or []) for row in frame.iter_rows(named=True)}


def compare_methodologies(a: Methodology, b: Methodology, year: int | None) -> Comparison:
    """Run `a` and `b` on the same frames of their region and compare the lists."""
    a, b = Methodology.objects.get(pk=a.pk), Methodology.objects.get(pk=b.pk)
    if a.region_id != b.region_id:
        raise ValueError("Сравнивать можно методики одного региона.")
    loaded = load_frames(a.region_id, year)
    result_a = compute(a, loaded, year, with_peers=False)
    result_b = compute(b, loaded, result_a.year, with_peers=False)
    schools: dict[int, Any] = {
        s.pk: s
        for s in School.objects.filter(municipality__region_id=a.region_id).select_related(
            "municipality"
        )
    }
    lists = []
    for which, title in (
        ("shnor", "Школы с низкими образовательными результатами (ШНОР)"),
        ("objectivity", "Школы с признаками необъективности результатов"),
        ("registry", "Реестр (ШНОР и ССУ)"),
    ):
        in_a, in_b = _members(result_a, which), _members(result_b, which)
        changes = [
            ListChange(
                school_id=pk,
                name=schools[pk].short_name if pk in schools else str(pk),
                municipality=schools[pk].municipality.name if pk in schools else "",
                in_a=pk in in_a,
                in_b=pk in in_b,
                reasons_a=in_a.get(pk, []),
                reasons_b=in_b.get(pk, []),
            )
            for pk in sorted(set(in_a) | set(in_b), key=lambda k: (str(schools.get(k, k)), k))
        ]
        lists.append(ListComparison(title, len(in_a), len(in_b), changes))
    return Comparison(a, b, result_a.year, lists, result_a.warnings, result_b.warnings)
