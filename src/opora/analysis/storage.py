"""Turning an `AnalysisResult` into the stored rows of a run (see `models` for the layout).

Per school and kind of output the frames' rows are kept as compact tables
`{"columns": [...], "rows": [[...], ...]}`; floats are rounded to 6 decimals and non-finite
ones become null (JSON has no NaN). JSON is written without escaped Cyrillic (`UnicodeJSONEncoder`):
the Russian reasons take half the room on SQLite.
What is stored per kind (`year` = the run's year):

| kind | tables | reasons |
|---|---|---|
| shnor | `shnor` (year), `table` (the (procedure, subject, grade, year) rows that put it in) | ШНОР |
| social | `social` (every year up to `year`) | ИСБШ/ССУ of `year` |
| risk | `factors`, `items` (year) | factors at high or medium level |
| objectivity | `schools` (every year), `signals` (fired or shown, every year) | signs of `year` |
| cluster | `clusters` | clusters |
| context | `context` | context model |
| decline | `decline` | D1/D2, forecast |
| partners | `partners` (candidates for this school as a target) | assigned partner |
| peers | `peers` (comparisons with similar schools and the region) | significant differences |
| indicators | `indicators` (school level, year) | — |
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import polars as pl

from opora.analysis.choices import Cluster, ResultKind
from opora.analysis.models import AnalysisRun, RunSchool, RunSchoolResult
from opora.analytics.pipeline import AnalysisResult

Tables = dict[int, dict[str, Any]]
_EMPTY: dict[str, Any] = {"columns": [], "rows": []}


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def compact(frame: pl.DataFrame) -> dict[str, Any]:
    """A frame as `{"columns": [...], "rows": [[...]]}` with non-finite floats as null."""
    floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    if floats:
        frame = frame.with_columns(
            [pl.when(pl.col(n).is_finite()).then(pl.col(n).round(6)).alias(n) for n in floats]
        )
    return {"columns": frame.columns, "rows": [list(row) for row in frame.iter_rows()]}


def by_school(frame: pl.DataFrame, key: str = "school_id") -> dict[int, pl.DataFrame]:
    """The frame split by school id (one pass)."""
    if frame.is_empty():
        return {}
    return {int(part[key][0]): part for part in frame.partition_by(key, maintain_order=True)}


def _reasons(frame: pl.DataFrame | None, column: str = "reasons") -> list[str]:
    if frame is None or frame.is_empty() or column not in frame.columns:
        return []
    out: list[str] = []
    for value in frame[column].to_list():
        if isinstance(value, list):
            out.extend(str(v) for v in value if v)
        elif value:
            out.append(str(value))
    return out


def _first(frame: pl.DataFrame | None) -> dict[str, Any]:
    if frame is None or frame.is_empty():
        return {}
    return {k: _clean(v) for k, v in frame.row(0, named=True).items()}


def _for_year(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    return frame.filter(pl.col("year") == year) if "year" in frame.columns else frame


def school_outputs(
    result: AnalysisResult, school_ids: list[int]
) -> dict[int, dict[str, tuple[dict[str, Any], list[str]]]]:
    """`{school_id: {kind: (data, reasons)}}` for every school of `school_ids`."""
    year = result.year
    split = {
        "shnor": by_school(result.shnor),
        "table": by_school(result.shnor_table),
        "social": by_school(result.social_index.filter(pl.col("year") <= year)),
        "factors": by_school(_for_year(result.risks, year)),
        "items": by_school(_for_year(result.risk_items, year)),
        "objectivity": by_school(result.objectivity.filter(pl.col("year") <= year)),
        "signals": by_school(
            result.objectivity_signals.filter(pl.col("fired") & (pl.col("year") <= year))
        ),
        "clusters": by_school(result.clusters),
        "context": by_school(result.context),
        "decline": by_school(result.decline),
        "partners": by_school(result.partners, key="target_id"),
        # A comparison's reason repeats its figures: kept for significant rows only.
        "peers": by_school(
            result.peers.with_columns(
                reason=pl.when(pl.col("significant").fill_null(False)).then(pl.col("reason"))
            )
        ),
        "indicators": by_school(
            result.indicators.filter((pl.col("level") == "school") & (pl.col("year") == year))
            .drop("level")
            .rename({"unit_id": "school_id"}),
        ),
    }
    outputs: dict[int, dict[str, tuple[dict[str, Any], list[str]]]] = defaultdict(dict)
    empty = pl.DataFrame()

    def add(school: int, kind: str, tables: dict[str, pl.DataFrame], reasons: list[str]) -> None:
        # The school's id is the row's: not repeated in every table row.
        outputs[school][kind] = (
            {k: compact(v.drop("school_id", strict=False)) for k, v in tables.items()},
            reasons,
        )

    for school, frame in split["shnor"].items():
        table = split["table"].get(school, empty)
        add(school, ResultKind.SHNOR, {"shnor": frame, "table": table}, _reasons(frame))
    for school, frame in split["social"].items():
        add(school, ResultKind.SOCIAL, {"social": frame}, _reasons(_for_year(frame, year)))
    for school, frame in split["factors"].items():
        items = split["items"].get(school, empty)
        risky = frame.filter(pl.col("level").is_in(["высокий", "средний"]))
        add(school, ResultKind.RISK, {"factors": frame, "items": items}, _reasons(risky))
    for school, frame in split["objectivity"].items():
        signals = split["signals"].get(school, empty)
        add(
            school,
            ResultKind.OBJECTIVITY,
            {"schools": frame, "signals": signals},
            _reasons(_for_year(frame, year)),
        )
    for kind, name in (
        (ResultKind.CLUSTER, "clusters"),
        (ResultKind.CONTEXT, "context"),
        (ResultKind.DECLINE, "decline"),
    ):
        for school, frame in split[name].items():
            add(school, kind, {name: frame}, _reasons(frame))
    for school, frame in split["partners"].items():
        add(school, ResultKind.PARTNERS, {"partners": frame}, _reasons(frame.filter("assigned")))
    for school, frame in split["peers"].items():
        significant = frame.filter(pl.col("significant").fill_null(False))
        add(school, ResultKind.PEERS, {"peers": frame}, _reasons(significant, "reason"))
    for school, frame in split["indicators"].items():
        add(school, ResultKind.INDICATORS, {"indicators": frame}, [])
    # Every school has a risk profile and an objectivity record, even when nothing could be
    # evaluated (the page and the API then say so rather than answer 404).
    for school in school_ids:
        kinds = outputs[school]
        kinds.setdefault(ResultKind.RISK, ({"factors": _EMPTY, "items": _EMPTY}, []))
        kinds.setdefault(ResultKind.OBJECTIVITY, ({"schools": _EMPTY, "signals": _EMPTY}, []))
    return outputs


def registry_line(result: AnalysisResult, school_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The registry fields of `RunSchool` for every school of the run."""
    year = result.year
    shnor = {r["school_id"]: r for r in result.shnor.iter_rows(named=True)}
    social = {r["school_id"]: r for r in _for_year(result.social_index, year).iter_rows(named=True)}
    clusters = {r["school_id"]: r for r in result.clusters.iter_rows(named=True)}
    signs = {r["school_id"]: r for r in _for_year(result.objectivity, year).iter_rows(named=True)}
    context = {r["school_id"]: r for r in result.context.iter_rows(named=True)}
    decline = {r["school_id"]: r for r in result.decline.iter_rows(named=True)}
    lines: dict[int, dict[str, Any]] = {}
    for school in school_ids:
        s, i, c = shnor.get(school, {}), social.get(school, {}), clusters.get(school, {})
        o, x, d = signs.get(school, {}), context.get(school, {}), decline.get(school, {})
        codes = [code for code in Cluster.values if c.get(code)]
        flags = {
            "is_shnor": bool(s.get("is_shnor")),
            "is_ssu": bool(c.get("ssu")),
            "has_signs": bool(o.get("has_signs")),
            "persistent_signs": bool(o.get("persistent")),
            "resilient": bool(x.get("resilient")),
            "decline": bool(d.get("decline")),
            "watch": bool(d.get("watch")),
        }
        reason_codes = [
            code
            for code, on in (
                ("r1", flags["is_shnor"] and bool(s.get("r1"))),
                ("r2", flags["is_shnor"] and bool(s.get("r2"))),
                ("ssu", flags["is_ssu"]),
                ("signs", flags["has_signs"]),
                ("decline", flags["decline"]),
                ("watch", flags["watch"]),
                ("resilient", flags["resilient"]),
            )
            if on
        ]
        figures = {
            "zshr": s.get("Zshr"),
            "pct": s.get("pct"),
            "r1_hits": s.get("r1_hits"),
            "r2_low_years": s.get("r2_low_years"),
            "data_reliability": s.get("data_reliability"),
            "isb": i.get("isb"),
            "isb_percentile": i.get("isb_percentile"),
            "context_flags": i.get("context_flags"),
            "ce": x.get("ce"),
            "expected": x.get("expected"),
            "y": x.get("y"),
            "typology": x.get("typology"),
            "marker_count": o.get("marker_count"),
            "markers": list(o.get("markers") or []),
            "sign_reasons": list(o.get("reasons") or []) if o.get("has_signs") else [],
            "p": d.get("p"),
        }
        reasons = [*(s.get("reasons") or []), *(c.get("reasons") or [])]
        lines[school] = {
            **flags,
            "in_registry": bool(c.get("in_registry")),
            "clusters": "|" + "|".join(codes) + "|" if codes else "",
            "reason_codes": "|" + "|".join(reason_codes) + "|" if reason_codes else "",
            "figures": {k: _clean(v) for k, v in figures.items()},
            "reasons": reasons,
        }
    return lines


def summary(lines: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Counts of a run: schools, registry, ШНОР, ССУ, each cluster, signs, decline, resilient."""
    values = list(lines.values())
    clusters = {
        code: sum(f"|{code}|" in line["clusters"] for line in values) for code in Cluster.values
    }
    return {
        "schools": len(values),
        "registry": sum(line["in_registry"] for line in values),
        "shnor": sum(line["is_shnor"] for line in values),
        "ssu": sum(line["is_ssu"] for line in values),
        "signs": sum(line["has_signs"] for line in values),
        "persistent_signs": sum(line["persistent_signs"] for line in values),
        "resilient": sum(line["resilient"] for line in values),
        "decline": sum(line["decline"] for line in values),
        "watch": sum(line["watch"] for line in values),
        "clusters": clusters,
    }


def store_rows(run: AnalysisRun, result: AnalysisResult, school_ids: list[int]) -> dict[str, Any]:
    """Write the `RunSchool` and `RunSchoolResult` rows of `run`; return the run's summary."""
    lines = registry_line(result, school_ids)
    RunSchool.objects.bulk_create(
        [RunSchool(run=run, school_id=school, **line) for school, line in lines.items()],
        batch_size=500,
    )
    outputs = school_outputs(result, school_ids)
    RunSchoolResult.objects.bulk_create(
        [
            RunSchoolResult(run=run, school_id=school, kind=kind, data=data, reasons=reasons)
            for school, kinds in outputs.items()
            if school in lines
            for kind, (data, reasons) in kinds.items()
        ],
        batch_size=200,
    )
    return summary(lines)
