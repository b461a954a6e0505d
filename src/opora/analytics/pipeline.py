"""`run_analysis`: every rule of the analytics core, in order, over one set of input frames.

The Django side (`opora.analysis`) loads the frames (keys = schema names: `schools`, `context`,
`student_results`, `school_aggregates`, `reference`; the last three optional), calls
`run_analysis(frames, methodology)` and stores the `AnalysisResult`. Order:
procedure groups → indicators → ШНОР for every year up to `year` → ИСБШ/ССУ → risk profiles →
objectivity → clusters → composite Z and context model → decline and forecast → partners →
similar schools. Nothing here reads anything but the frames and the methodology.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

import polars as pl

from opora.analytics.clusters import assign_clusters, subject_scores
from opora.analytics.context_fit import covariate_frame
from opora.analytics.context_model import context_adjusted
from opora.analytics.decline import decline_features, decline_risk
from opora.analytics.indicators import compute_indicators
from opora.analytics.matching import match_partners
from opora.analytics.methodology import Methodology
from opora.analytics.objectivity import assess_objectivity
from opora.analytics.peers import compare_with_peers, compare_with_region, peer_groups
from opora.analytics.results import group_results
from opora.analytics.risks import risk_profile
from opora.analytics.schemas import (
    CONTEXT,
    REFERENCE,
    SCHOOL_AGGREGATES,
    SCHOOLS,
    STUDENT_RESULTS,
    Rows,
    empty_frame,
    lazy_rows,
    validate_frame,
)
from opora.analytics.shnor import (
    composite_z_of,
    eligible_groups,
    identify_shnor_years,
    school_z,
    years_needed,
)
from opora.analytics.social_index import social_index
from opora.analytics.text import DEFAULT_LABELS, Labels

STEPS = [
    "группы результатов",
    "показатели",
    "ШНОР",
    "ИСБШ и ССУ",
    "рисковые профили",
    "объективность",
    "кластеры",
    "контекстная модель",
    "риск снижения",
    "партнёры",
    "похожие школы и сравнение с регионом",
]


@dataclass(frozen=True)
class AnalysisResult:
    """Every output frame of one run (see docs/analytics.md for the columns) and its warnings."""

    year: int
    indicators: pl.DataFrame
    shnor: pl.DataFrame
    shnor_table: pl.DataFrame
    social_index: pl.DataFrame
    risks: pl.DataFrame
    risk_items: pl.DataFrame
    objectivity: pl.DataFrame
    objectivity_signals: pl.DataFrame
    clusters: pl.DataFrame
    context: pl.DataFrame
    context_fits: pl.DataFrame
    decline: pl.DataFrame
    partners: pl.DataFrame
    peers: pl.DataFrame
    warnings: list[str] = field(default_factory=list)

    def frames(self) -> dict[str, pl.DataFrame]:
        """The output frames by name (everything but `year` and `warnings`)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if isinstance(getattr(self, f.name), pl.DataFrame)
        }


def _stepper(progress) -> Callable[[str], None]:
    """`progress` as a one-argument callback (see `run_analysis`)."""
    if progress is None:
        return lambda _name: None
    try:
        params = inspect.signature(progress).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature: the one-argument form
        return progress
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params):
        return lambda name: progress(STEPS.index(name), name)
    return progress


def _eager(frame: Rows) -> pl.DataFrame:
    return frame.collect() if isinstance(frame, pl.LazyFrame) else frame


def run_analysis(
    frames: Mapping[str, Rows],
    methodology: Methodology,
    year: int | None = None,
    labels: Labels = DEFAULT_LABELS,
    progress: Callable[[str], None] | Callable[[int, str], None] | None = None,
    with_peers: bool = True,
) -> AnalysisResult:
    """Run every rule for `year` (default: the latest year with results).

    `frames["task_scores"]` (optional, `TASK_SCORES`: ВПР participants' points per task) feeds
    marker M2; without it M2 is not evaluated and a warning says so.
    `frames["student_results"]` may be a LazyFrame (e.g. `pl.scan_parquet` of a national
    dataset): it is read in streaming passes and never held in memory at once. `progress` is
    called before each step of `STEPS` with `(step_index, step_name)` if it takes two
    positional arguments, else with `(step_name)`.

    `with_peers=False` skips the comparisons with similar schools and the region; `peers` is
    then empty. They are column operations (`peers_compare`, `significance_frame`): ≈ 11 s of a
    national run (2,1 million comparisons), so a national run includes them by default; a page
    can compute one school's with
    `peers.compare_with_peers(groups, peer_groups(...).filter(school_id == s), ...)`.
    """
    m = methodology
    step = _stepper(progress)
    schools = validate_frame(_eager(frames["schools"]), SCHOOLS)
    context = validate_frame(_eager(frames.get("context", empty_frame(CONTEXT))), CONTEXT)
    students = lazy_rows(
        frames.get("student_results", empty_frame(STUDENT_RESULTS)),
        STUDENT_RESULTS,
        check_nulls=True,
    )
    aggregates = validate_frame(
        _eager(frames.get("school_aggregates", empty_frame(SCHOOL_AGGREGATES))), SCHOOL_AGGREGATES
    )
    reference = validate_frame(_eager(frames.get("reference", empty_frame(REFERENCE))), REFERENCE)

    step(STEPS[0])
    groups = group_results(m, students, aggregates, reference)
    years = sorted(set(groups["year"].to_list()))
    if year is None:
        if not years:
            raise ValueError("Нет результатов оценочных процедур: год анализа не определить.")
        year = years[-1]
    step(STEPS[1])
    indicators = compute_indicators(m, schools, groups, context, level="school")

    step(STEPS[2])
    warnings: list[str] = []
    eligible = eligible_groups(groups, schools, m)
    shnor_years = [y for y in years if y <= year] or [year]
    scores = school_z(eligible, years_needed(shnor_years, m), m)
    # Earlier years feed the forecast and the partners (flags, evidence), not the reasons.
    runs = identify_shnor_years(
        groups, schools, m, shnor_years, labels, eligible, scores, reasons_for=[year]
    )
    shnor_all = pl.concat([r.schools for r in runs.values()]).sort("school_id", "year")
    evidence_all = pl.concat([r.evidence for r in runs.values()])
    main = runs[year]
    warnings += main.warnings

    step(STEPS[3])
    isb = social_index(context, schools, m)
    step(STEPS[4])
    profile = risk_profile(context, schools, m, groups)
    step(STEPS[5])
    tasks = frames.get("task_scores")
    objectivity = assess_objectivity(students, groups, schools, m, reference, labels, tasks)
    warnings += objectivity.warnings
    step(STEPS[6])
    subjects = subject_scores(groups, schools, m, eligible)
    clusters = assign_clusters(schools, context, groups, shnor_all, isb, m, year, subjects)

    step(STEPS[7])
    composite, _ = composite_z_of(scores.filter(pl.col("year") <= year), m)
    covariates = covariate_frame(context, isb, schools, m)
    ctx = context_adjusted(composite, covariates, m, year, shnor_all, objectivity.schools, subjects)
    warnings += ctx.warnings

    step(STEPS[8])
    features, rises = decline_features(
        composite, shnor_all, eligible, covariates, objectivity.schools, m
    )
    decline, decline_warnings = decline_risk(features, rises, m, year, labels)
    warnings += decline_warnings

    step(STEPS[9])
    partners = match_partners(
        schools,
        covariates,
        shnor_all,
        evidence_all,
        subjects,
        ctx.subjects,
        m,
        year,
        objectivity.schools,
        decline,
    )
    step(STEPS[10])
    parts = []
    if with_peers:
        parts = [
            compare_with_region(groups, schools, m, year, labels),
            compare_with_peers(groups, peer_groups(covariates, schools, m, year), m, year, labels),
        ]
    empty = compare_with_region(groups.clear(), schools, m, year, labels)
    peers = pl.concat([empty, *parts]).sort(
        "school_id", "procedure", "subject", "grade", "comparison", "indicator"
    )
    # §2: a school with objectivity signs in the year is flagged `suspect` (reviewed, never
    # silently excluded: inflation can hide a ШНОР).
    signs_now = objectivity.schools.filter(pl.col("year") == year).select("school_id", "has_signs")
    shnor = (
        main.schools.join(signs_now, on="school_id", how="left")
        .with_columns(
            data_reliability=pl.when(pl.col("has_signs").fill_null(False))
            .then(pl.lit("suspect"))
            .otherwise(pl.lit("ok"))
        )
        .drop("has_signs")
    )
    return AnalysisResult(
        year=year,
        indicators=indicators,
        shnor=shnor.sort("school_id"),
        shnor_table=main.evidence,
        social_index=isb,
        risks=profile.factors,
        risk_items=profile.items,
        objectivity=objectivity.schools,
        objectivity_signals=objectivity.signals,
        clusters=clusters,
        context=ctx.schools,
        context_fits=ctx.fits,
        decline=decline,
        partners=partners,
        peers=peers,
        warnings=warnings,
    )
