"""Charts of the analysis pages (Altair → Vega-Lite, rendered by `static/opora/charts.js`).

* The registry by municipality: stacked bars of the registry schools the user may see, split by
  what put them there (НОР and ССУ, НОР only, ССУ only, other clusters of the methodology).
* «Контекст»: every school of the region as a point (expected Z by its context → actual Z), the
  line «as expected», the school of the page highlighted. The other points carry no names: the
  chart shows where the school stands among the region, not who the others are.
"""

from typing import Any

from django.db.models import Count, QuerySet

from opora.analysis.models import AnalysisRun, RunSchool

KINDS = ("НОР и ССУ", "НОР", "ССУ", "другие кластеры")
HEIGHT_PER_ROW = 22


def _kind(is_shnor: bool, is_ssu: bool) -> str:
    if is_shnor and is_ssu:
        return KINDS[0]
    if is_shnor:
        return KINDS[1]
    return KINDS[2] if is_ssu else KINDS[3]


def registry_counts(lines: QuerySet[RunSchool]) -> list[dict[str, Any]]:
    """(municipality, kind, schools) of the registry lines given (already scoped and filtered)."""
    rows = (
        lines.filter(in_registry=True)
        .order_by()
        .values("school__municipality__name", "is_shnor", "is_ssu")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["school__municipality__name"], _kind(row["is_shnor"], row["is_ssu"]))
        counts[key] = counts.get(key, 0) + row["n"]
    return [
        {"municipality": name, "kind": kind, "schools": n}
        for (name, kind), n in sorted(counts.items())
    ]


def registry_spec(counts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Stacked horizontal bars: registry schools per municipality; None when there are none."""
    if not counts:
        return None
    import altair as alt

    municipalities = sorted({row["municipality"] for row in counts})
    chart = (
        alt.Chart(alt.Data(values=counts), title="Школы реестра по муниципалитетам")
        .mark_bar()
        .encode(
            y=alt.Y("municipality:N", title=None, sort=municipalities),
            x=alt.X("sum(schools):Q", title="школ", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "kind:N", title="Основание", sort=list(KINDS), legend=alt.Legend(orient="bottom")
            ),
            order=alt.Order("kind:N"),
            tooltip=[
                alt.Tooltip("municipality:N", title="Муниципалитет"),
                alt.Tooltip("kind:N", title="Основание"),
                alt.Tooltip("schools:Q", title="Школ"),
            ],
        )
        .properties(width="container", height=max(120, HEIGHT_PER_ROW * len(municipalities)))
    )
    return chart.to_dict()


def context_points(run: AnalysisRun, region_id: int, school_id: int) -> list[dict[str, Any]]:
    """(expected, actual, own, resilient) of every school of the run's region with both figures."""
    lines = RunSchool.objects.filter(run=run, school__municipality__region_id=region_id)
    points = []
    for line_school, figures, resilient in lines.values_list("school_id", "figures", "resilient"):
        expected, actual = figures.get("expected"), figures.get("y")
        if expected is None or actual is None:
            continue
        points.append(
            {
                "expected": expected,
                "actual": actual,
                "who": "эта школа" if line_school == school_id else "другие школы региона",
                "resilient": "да" if resilient else "нет",
            }
        )
    points.sort(key=lambda p: p["who"] == "эта школа")  # the school is drawn last, on top
    return points


def context_spec(points: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Actual against expected Z with the line «as expected»; None without the school's point."""
    if not any(p["who"] == "эта школа" for p in points):
        return None
    import altair as alt

    low = min(p["expected"] for p in points)  # the line spans the schools' expectations
    high = max(p["expected"] for p in points)
    data = alt.Data(values=points)
    dots = (
        alt.Chart(data)
        .mark_circle()
        .encode(
            x=alt.X("expected:Q", title="ожидаемый по контексту Z", scale=alt.Scale(zero=False)),
            y=alt.Y("actual:Q", title="сводный результат Z", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "who:N",
                title=None,
                sort=["эта школа", "другие школы региона"],
                scale=alt.Scale(range=["#c0392b", "#9fb3c8"]),
                legend=alt.Legend(orient="bottom"),
            ),
            size=alt.condition(alt.datum.who == "эта школа", alt.value(140), alt.value(30)),
            tooltip=[
                alt.Tooltip("who:N", title="Школа"),
                alt.Tooltip("expected:Q", title="Ожидаемый Z", format=",.2f"),
                alt.Tooltip("actual:Q", title="Сводный Z", format=",.2f"),
                alt.Tooltip("resilient:N", title="Резильентная"),
            ],
        )
    )
    line = (
        alt.Chart(alt.Data(values=[{"v": low}, {"v": high}]))
        .mark_line(strokeDash=[4, 4], color="#666")
        .encode(x="v:Q", y="v:Q")
    )
    chart = alt.layer(line, dots, title="Результат и ожидание по контексту: школы региона")
    return chart.properties(width="container", height=300).to_dict()
