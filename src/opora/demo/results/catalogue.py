"""The demo's tests per year, with scales and minimum scores from the reference data.

The reference file (`opora/assessment/reference/reference.json`, loaded into `ReferenceValue`)
wins where it has a value; for a year it lacks, the nearest year that has one is used, and the
demo constants of `spec.py` where no year has one (all ВПР scales today).
"""

from typing import Any

from opora.assessment.models import ReferenceValue
from opora.demo.results.spec import (
    EGE_BASE_SCALE,
    EGE_ELECTIVES,
    EGE_MIN_FALLBACK,
    OGE_SCALES,
    VPR_OTHER,
    VPR_OTHER_SCALE,
    VPR_SCALES,
    Exam,
    ege_test,
    marked_test,
)


def _nearest(values: dict[int, Any], year: int) -> Any:
    if not values:
        return None
    best = min(values, key=lambda y: (abs(y - year), -y))
    return values[best]


def reference_values() -> dict[tuple[str, str], dict[str, dict[int, Any]]]:
    """(procedure, subject) → {"min": {year: min_score}, "scale": {year: (max, cuts)}}."""
    found: dict[tuple[str, str], dict[str, dict[int, Any]]] = {}
    for value in ReferenceValue.objects.all():
        entry = found.setdefault((value.procedure_id, value.subject_id), {"min": {}, "scale": {}})
        if value.min_score is not None:
            entry["min"][value.year] = value.min_score
        scale = value.mark_scale
        if value.max_primary_score and isinstance(scale, list) and len(scale) == 3:
            entry["scale"][value.year] = (value.max_primary_score, tuple(int(x) for x in scale))
    return found


def build_exams(years: tuple[int, ...], reference: dict[Any, Any] | None = None) -> list[Exam]:
    """Every test the demo writes: ВПР 4–8, ОГЭ, ЕГЭ (profile and base mathematics)."""
    ref = reference_values() if reference is None else reference

    def scale(procedure: str, subject: str, year: int, default: Any) -> Any:
        found = _nearest(ref.get((procedure, subject), {}).get("scale", {}), year)
        return found or default

    exams: list[Exam] = []
    for year in years:
        for grade, others in VPR_OTHER.items():
            for subject in ("rus", "math", *others):
                default = VPR_SCALES.get((subject, grade), VPR_OTHER_SCALE)
                exams.append(
                    marked_test("vpr", subject, grade, year, scale("vpr", subject, year, default))
                )
        for subject, default in OGE_SCALES.items():
            exams.append(marked_test("oge", subject, 9, year, scale("oge", subject, year, default)))
        base = scale("ege_base", "math_base", year, EGE_BASE_SCALE)
        exams.append(marked_test("ege_base", "math_base", 11, year, base))
        for subject in ("rus", "math_profile", *EGE_ELECTIVES):
            minimum = _nearest(ref.get(("ege", subject), {}).get("min", {}), year)
            exams.append(ege_test(subject, year, minimum or EGE_MIN_FALLBACK[subject]))
    return exams
