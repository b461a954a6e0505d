"""Charts of the results pages: Vega-Lite specs built with Altair, embedded as JSON.

The page carries each spec in a `<script type="application/json" data-chart>` element;
`static/opora/charts.js` renders it with vega-embed (vendored in `static/vendor/vega/`) in the
Russian number and date locale. The same specs can be turned into PNG/SVG for documents.
"""

import json
from decimal import Decimal
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString

# Characters that must not appear raw inside a <script> element (as Django's json_script).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
HEIGHT = 220


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def dynamics_spec(
    points: list[tuple[str, int, Decimal | None]], *, title: str, y_title: str
) -> dict[str, Any]:
    """A line per series over the years: `points` are (series, year, value)."""
    import altair as alt

    order = list(dict.fromkeys(series for series, _, _ in points))
    values = [
        {"series": series, "year": str(year), "value": _number(value)}
        for series, year, value in points
        if value is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values), title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title="Год", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False)),
            color=alt.Color("series:N", title=None, sort=order, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("series:N", title="Кто"),
                alt.Tooltip("year:O", title="Год"),
                alt.Tooltip("value:Q", title=y_title, format=",.2~f"),
            ],
        )
        .properties(width="container", height=HEIGHT)
    )
    return chart.to_dict()


def distribution_spec(
    bars: list[tuple[str, str, Decimal | None]], *, title: str, categories: list[str]
) -> dict[str, Any]:
    """Grouped bars of shares in %: `bars` are (series, category, share)."""
    import altair as alt

    order = list(dict.fromkeys(series for series, _, _ in bars))
    values = [
        {"series": series, "category": category, "share": _number(share)}
        for series, category, share in bars
        if share is not None
    ]
    chart = (
        alt.Chart(alt.Data(values=values), title=title)
        .mark_bar()
        .encode(
            x=alt.X("category:N", title=None, sort=categories, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("series:N", sort=order),
            y=alt.Y("share:Q", title="доля, %"),
            color=alt.Color("series:N", title=None, sort=order, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("series:N", title="Кто"),
                alt.Tooltip("category:N", title="Результат"),
                alt.Tooltip("share:Q", title="доля, %", format=",.1f"),
            ],
        )
        .properties(width="container", height=HEIGHT)
    )
    return chart.to_dict()


def chart_html(spec: dict[str, Any], *, label: str, name: str) -> SafeString:
    """A figure with the place for the chart and its spec for `charts.js`."""
    data = json.dumps(spec, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html(
        '<figure class="chart" data-chart-name="{}">'
        '<div class="chart-view" role="img" aria-label="{}"></div>'
        '<script type="application/json" data-chart>{}</script>'
        "</figure>",
        name,
        label,
        SafeString(data),
    )
