"""Vega-Lite specs (built with Altair) of target versus actual values per year.

The page embeds the spec as JSON (`assessment.charts.chart_html`); `static/opora/charts.js`
renders it with the vendored vega-embed, and the table beside it carries the same figures.
"""

from typing import Any

import altair as alt

from opora.programs.targets import TargetRow

SERIES = {"target": "Цель", "actual": "Факт"}


def target_chart(row: TargetRow) -> dict[str, Any] | None:
    """Target and actual values of one indicator per year, or None when there is nothing."""
    records = []
    for value, _status in row.years:
        for key, number in (("target", value.value), ("actual", value.actual_value)):
            if number is not None:
                records.append(
                    {"year": str(value.year), "series": SERIES[key], "value": float(number)}
                )
    if not records:
        return None
    unit = row.target.unit
    base = alt.Chart(alt.Data(values=records)).encode(
        x=alt.X("year:O", title="Год"),
        y=alt.Y("value:Q", title=unit or "Значение"),
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=list(SERIES.values()), range=["#8a8a8a", "#1f6feb"]),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            legend=None,
            scale=alt.Scale(domain=list(SERIES.values()), range=[[4, 3], [1, 0]]),
        ),
        tooltip=[
            alt.Tooltip("year:O", title="Год"),
            alt.Tooltip("series:N", title="Ряд"),
            alt.Tooltip("value:Q", title="Значение", format=",.1f"),
        ],
    )
    chart = (base.mark_line() + base.mark_point(filled=True, size=60)).properties(
        width="container", height=180, title=str(row.target)[:80]
    )
    return chart.to_dict()
