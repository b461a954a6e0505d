"""Reads: the detail of one group on a results page.

Three years of the unit against its municipality and region, the distribution of marks or scores
of the newest year, the charts, and the ranking of the schools of a municipality or of the
municipalities of a region. Each part is one aggregate query, whatever the number of schools.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.safestring import SafeString

from opora.accounts.policy import objects_for
from opora.accounts.roles import Capability
from opora.assessment import charts
from opora.assessment.disclosure import (
    Figure,
    Share,
    Unit,
    Viewer,
    bin_labels,
    labels,
    periods,
)
from opora.assessment.figures import Catalogue, Group, Key, Tally, roll_up, tallies
from opora.territory.models import Municipality, School


@dataclass
class Line:
    """One series (a unit) of one indicator: its values per year, oldest first."""

    label: str
    cells: list[tuple[Any, Figure]]


@dataclass
class Indicator:
    """One indicator (participants, mean, fail share, top share) for every series."""

    key: str
    label: str
    lines: list[Line]


@dataclass
class RankRow:
    unit: Unit
    rank: int | None
    figure: Figure
    change: Decimal | None


@dataclass
class Detail:
    """The selected group: dynamics against the higher units, distribution, charts, ranking."""

    group: Group
    title: str
    kind: str
    labels: dict[str, str]
    indicators: list[Indicator]
    distribution_year: int
    categories: list[str]
    distribution: list[tuple[str, list[Share], Figure]]
    charts: list[SafeString]
    query: str = ""  # the query string selecting this group (for links of the ranking)
    ranking_title: str = ""
    ranking: list[RankRow] = field(default_factory=list)
    ranked_out_of: int = 0


def series(
    viewer: Viewer, unit: Unit, found: dict[Key, Tally], group: Group, years: list[int], kind: str
) -> list[Figure]:
    """The figures of `unit` per year, as `viewer` sees them."""
    return [viewer.figure(unit, found.get((unit.pk, group, year)), kind) for year in years]


Lines = list[tuple[str, list[Figure]]]


def _comparison(
    viewer: Viewer, unit: Unit, group: Group, years: list[int], kind: str, own: list[Figure]
) -> tuple[Lines, dict[Key, Tally]]:
    """The unit's own figures, then its municipality's and region's; and the municipal tallies."""
    by_municipality = tallies(
        level="municipality",
        where=Q(school__municipality__region_id=unit.region_id),
        years=years,
        periods=periods(),
        group=group,
    )
    region = Unit("region", unit.region_id, "Регион", unit.region_id)
    regional = series(viewer, region, roll_up(by_municipality, unit.region_id), group, years, kind)
    titles = {"school": "Школа", "municipality": "Муниципалитет", "region": "Регион"}
    lines: Lines = [(titles[unit.level], own)]
    if unit.level == "school" and unit.municipality_id is not None:
        municipality = Unit(
            "municipality", unit.municipality_id, "", unit.region_id, unit.municipality_id
        )
        municipal = series(viewer, municipality, by_municipality, group, years, kind)
        for total, part in zip(municipal, own, strict=True):
            viewer.guard_total(total, part)
        lines.append(("Муниципалитет", municipal))
    if unit.level != "region":
        for index, total in enumerate(regional):
            for _, parts in lines:
                viewer.guard_total(total, parts[index])
        lines.append(("Регион", regional))
    return lines, by_municipality


def _indicators(lines: Lines, kind: str) -> list[Indicator]:
    names = labels(kind)
    wanted = [("participants", "участников")] + [
        (attribute, names[key])
        for attribute, key in (("mean", "mean"), ("share_fail", "fail"), ("share_top", "top"))
        if names[key]
    ]
    return [
        Indicator(
            attribute,
            label,
            [Line(name, [(getattr(f, attribute), f) for f in figures]) for name, figures in lines],
        )
        for attribute, label in wanted
    ]


def _ranking(
    viewer: Viewer,
    user: Any,
    unit: Unit,
    group: Group,
    year: int,
    kind: str,
    by_municipality: dict[Key, Tally],
) -> tuple[str, list[RankRow], int]:
    """Schools of a municipality or municipalities of a region in the selected group and year.

    Rows are the units the user may open; the place counts every unit with a figure the user
    could see (in full, or of at least the minimum group size).
    """
    if unit.level == "region":
        found = by_municipality
        shown: list[Any] = list(
            objects_for(user, Capability.TERRITORY_VIEW, Municipality)
            .filter(region_id=unit.pk)
            .order_by("name", "pk")
        )
        child = lambda pk, name: Unit("municipality", pk, name, unit.pk, pk)  # noqa: E731
        title = "Муниципалитеты региона"
    elif unit.level == "municipality":
        found = tallies(
            level="school",
            where=Q(school__municipality_id=unit.pk),
            years=[year - 1, year],
            periods=periods(),
            group=group,
        )
        shown = list(
            objects_for(user, Capability.RESULTS_VIEW, School)
            .filter(municipality_id=unit.pk)
            .order_by("short_name", "pk")
        )
        child = lambda pk, name: Unit("school", pk, name, unit.region_id, unit.pk)  # noqa: E731
        title = "Школы муниципалитета"
    else:
        return "", [], 0
    rows, previous = [], []
    for item in shown:
        item_unit = child(item.pk, getattr(item, "short_name", None) or item.name)
        figure = viewer.figure(item_unit, found.get((item.pk, group, year)), kind)
        if figure.known:
            rows.append(RankRow(item_unit, None, figure, None))
            previous.append(viewer.figure(item_unit, found.get((item.pk, group, year - 1)), kind))
    viewer.guard_list([row.figure for row in rows])
    viewer.guard_list(previous)
    for row, before in zip(rows, previous, strict=True):
        if row.figure.mean is not None and before.mean is not None:
            row.change = row.figure.mean - before.mean
    listed = {row.unit.pk: row.figure for row in rows}
    candidates = []
    for (item_id, item_group, item_year), tally in found.items():
        if item_group != group or item_year != year:
            continue
        figure = listed.get(item_id) or viewer.figure(child(item_id, ""), tally, kind)
        if figure.shown:
            candidates.append((_order_value(figure, kind), item_id))
    places = {item_id: place for place, (_, item_id) in enumerate(sorted(candidates), start=1)}
    for row in rows:
        row.rank = places.get(row.unit.pk)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return title, rows, len(places)


def _order_value(figure: Figure, kind: str) -> Decimal:
    """Ranking key, smaller is better: the mean reversed, or the share of «незачёт»."""
    if kind == "pass_fail":
        return figure.share_fail if figure.share_fail is not None else Decimal(100)
    return -(figure.mean if figure.mean is not None else Decimal(-1))


def _distribution(
    lines: Lines, years: list[int], own: list[Figure], kind: str
) -> tuple[int, list[str], list[tuple[str, list[Share], Figure]]]:
    """The distribution of the newest year with the unit's own results, for every series."""
    index = max((i for i, f in enumerate(own) if f.known), default=len(years) - 1)
    if kind == "mark":
        categories = [f"«{mark}»" for mark in (2, 3, 4, 5)]
    elif kind == "score":
        categories = bin_labels()
    else:
        categories = ["зачёт", "незачёт"]
    rows = [(name, figures[index].distribution, figures[index]) for name, figures in lines]
    return years[index], categories, rows


def _charts(
    kind: str,
    years: list[int],
    lines: Lines,
    year: int,
    categories: list[str],
    distribution: list[tuple[str, list[Share], Figure]],
) -> list[SafeString]:
    made = []
    names = labels(kind)
    value = "mean" if names["mean"] else "share_fail"
    y_title = names["mean"] or names["fail"]
    points = [
        (name, y, getattr(figure, value))
        for name, figures in lines
        for y, figure in zip(years, figures, strict=True)
    ]
    if any(v is not None for _, _, v in points):
        spec = charts.dynamics_spec(
            points, title=f"{y_title.capitalize()} по годам", y_title=y_title
        )
        made.append(charts.chart_html(spec, label=f"Динамика: {y_title}", name="dynamics"))
    bars = [
        (name, share.label, share.share) for name, shares, _ in distribution for share in shares
    ]
    if bars:
        what = "отметок" if kind == "mark" else "баллов" if kind == "score" else "результатов"
        spec = charts.distribution_spec(
            bars, title=f"Распределение {what}, {year}", categories=categories
        )
        made.append(charts.chart_html(spec, label=f"Распределение {what}", name="distribution"))
    return made


def group_detail(
    viewer: Viewer,
    user: Any,
    unit: Unit,
    names: Catalogue,
    group: Group,
    own: list[Figure],
    years: list[int],
) -> Detail:
    """The detail of `group` on the page of `unit`; `own` are the unit's figures per year."""
    kind = names.kind(group)
    lines, by_municipality = _comparison(viewer, unit, group, years, kind, own)
    year, categories, distribution = _distribution(lines, years, own, kind)
    title = names.title(group)
    detail = Detail(
        group=group,
        title=title,
        kind=kind,
        labels=labels(kind),
        indicators=_indicators(lines, kind),
        distribution_year=year,
        categories=categories,
        distribution=distribution,
        charts=_charts(kind, years, lines, year, categories, distribution),
    )
    ranking_title, ranking, out_of = _ranking(
        viewer, user, unit, group, year, kind, by_municipality
    )
    detail.ranking_title, detail.ranking, detail.ranked_out_of = ranking_title, ranking, out_of
    return detail
