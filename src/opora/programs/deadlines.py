"""Parsing the deadline column of a roadmap («Сроки», «Срок проведения») into a date interval.

Pure: no Django. `parse_deadline(text, school_year=2023)` returns a `Deadline` with the kind of the
deadline and, where it has one, the interval `[start, end]`. Months without a year are placed in
the school year that starts on 1 September of `school_year`: September–December in `school_year`,
January–August in the next year. A year written next to a month wins. See docs/programs.md.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    DATE = "date"
    PERIOD = "period"
    MONTHS = "months"
    RECURRING = "recurring"
    DURING_YEAR = "during_year"
    ON_REQUEST = "on_request"
    BY_SCHEDULE = "by_schedule"
    UNPARSED = "unparsed"


@dataclass(frozen=True)
class Deadline:
    """A parsed deadline: its kind and the interval it covers (both ends inclusive) or None."""

    kind: Kind
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def has_interval(self) -> bool:
        return self.end is not None


MONTH_STEMS: tuple[tuple[str, int], ...] = (
    ("январ", 1),
    ("феврал", 2),
    ("март", 3),
    ("апрел", 4),
    ("ма[йяе]", 5),
    ("июн", 6),
    ("июл", 7),
    ("август", 8),
    ("сентябр", 9),
    ("октябр", 10),
    ("ноябр", 11),
    ("декабр", 12),
)
_MONTH_ALT = "|".join(stem for stem, _ in MONTH_STEMS)
_YEAR_SUFFIX = r"(?:\s*(?:года|году|год|гг|г)\.?)?"
_MONTH_RE = re.compile(
    rf"(?<![а-я])({_MONTH_ALT})[а-я]*\.?(?:[\s,]*((?:19|20)\d\d)(?!\d)(?!\s*[-/]\s*\d){_YEAR_SUFFIX})?"
)
_NUMERIC_DATE_RE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)")
_TEXT_DATE_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_ALT})[а-я]*(?:\s+((?:19|20)\d\d))?(?!\d)"
)
_SCHOOL_YEAR_RE = re.compile(r"((?:19|20)\d\d)\s*[-/]\s*((?:19|20)\d\d|\d\d)(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_NUMERAL = r"(?:iv|iii|ii|i|[1-4])"
_NUMERAL_RE = re.compile(rf"(?<![a-z\d]){_NUMERAL}(?![a-z\d])")
_QUARTER_RE = re.compile(
    rf"(?<![а-яa-z\d])((?:{_NUMERAL}(?:-?[йм])?(?:\s*(?:,|и|-)\s*|\s+))+)(квартал|полугоди|четверт)"
)

_ON_REQUEST = ("по запрос", "по мере необходимости", "по требованию", "по необходимости")
_RECURRING = (
    "ежемесячно",
    "еженедельно",
    "ежеквартально",
    "ежегодно",
    "ежедневно",
    "раз в ",
    "раза в ",
    "раз в",
    "по полугодиям",
    "по четвертям",
    "по итогам четверт",
    "в конце каждого",
    "в конце каждой",
    "каждую",
    "каждый",
    "каждое",
    "еженедел",
)
_DURING = (
    "в течение",
    "в течении",
    "течение года",
    "постоянно",
    "на протяжении",
    "весь период",
    "в течение всего",
)
_SCHEDULE = (
    "график",
    "по плану",
    "согласно плану",
    "в соответствии с план",
    "по отдельному",
    "отдельный план",
    "в соответствии с",
    "при проведении",
    "в период",
    "в сроки",
    "по срокам",
)


def normalize(text: str) -> str:
    """Lower case, «ё» → «е», every dash → «-», spaces collapsed, tags and end punctuation off."""
    value = re.sub(r"<[^>]+>", " ", text or "").lower().replace("ё", "е")
    value = re.sub(r"[‐-―−]", "-", value)
    value = re.sub(r"\s+", " ", value)
    return value.strip(" .;,")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_number(stem_text: str) -> int:
    for stem, number in MONTH_STEMS:
        if re.match(stem, stem_text):
            return number
    raise ValueError(stem_text)  # pragma: no cover - the regex only matches known stems


def school_year_bounds(school_year: int) -> tuple[dt.date, dt.date]:
    """1 September of `school_year` to 31 August of the next year."""
    return dt.date(school_year, 9, 1), dt.date(school_year + 1, 8, 31)


def _month_year(month: int, school_year: int) -> int:
    return school_year if month >= 9 else school_year + 1


def _months(text: str, school_year: int) -> list[tuple[int, int]] | None:
    """The (year, month) pairs the text names, years resolved; None when it names no month."""
    found = [(_month_number(m.group(1)), m.group(2)) for m in _MONTH_RE.finditer(text)]
    if not found:
        return None
    months = [month for month, _ in found]
    years: list[int | None] = [int(year) if year else None for _, year in found]
    # A month without a year takes it from the nearest following month with a year
    # («май - сентябрь 2024»), else from the nearest preceding one, else from the school year.
    for i in range(len(found) - 1, -1, -1):
        if years[i] is None and i + 1 < len(found) and years[i + 1] is not None:
            following = years[i + 1]
            assert following is not None
            years[i] = following if months[i] <= months[i + 1] else following - 1
    for i in range(len(found)):
        if years[i] is None and i > 0 and years[i - 1] is not None:
            preceding = years[i - 1]
            assert preceding is not None
            years[i] = preceding if months[i] >= months[i - 1] else preceding + 1
    if all(year is None for year in years):
        school = _SCHOOL_YEAR_RE.search(text)
        base = int(school.group(1)) if school else school_year
        years = [_month_year(month, base) for month in months]
    return [(year or 0, month) for year, month in zip(years, months, strict=True)]


def _months_interval(pairs: list[tuple[int, int]]) -> tuple[dt.date, dt.date]:
    first, last = min(pairs), max(pairs)
    return dt.date(first[0], first[1], 1), _month_end(last[0], last[1])


def _dates(text: str, school_year: int) -> list[dt.date]:
    dates: list[dt.date] = []
    for day, month, year in _NUMERIC_DATE_RE.findall(text):
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        try:
            dates.append(dt.date(full_year, int(month), int(day)))
        except ValueError:
            continue
    for day, stem, year in _TEXT_DATE_RE.findall(text):
        month = _month_number(stem)
        full_year = int(year) if year else _month_year(month, school_year)
        try:
            dates.append(dt.date(full_year, month, int(day)))
        except ValueError:
            continue
    return dates


def _part_interval(
    number: int, unit: str, year: int | None, school_year: int, school_text: bool
) -> tuple[dt.date, dt.date]:
    """One quarter (calendar), half-year or term (четверть) as an interval."""
    if unit == "квартал":
        first_month = 3 * (number - 1) + 1
        y = year if year else _month_year(first_month, school_year)
        return dt.date(y, first_month, 1), _month_end(y, first_month + 2)
    if unit == "полугоди":
        if year and not school_text:
            return (
                (dt.date(year, 1, 1), dt.date(year, 6, 30))
                if number == 1
                else (
                    dt.date(year, 7, 1),
                    dt.date(year, 12, 31),
                )
            )
        base = year or school_year
        if number == 1:
            return dt.date(base, 9, 1), dt.date(base, 12, 31)
        return dt.date(base + 1, 1, 1), dt.date(base + 1, 5, 31)
    (m1, d1), (m2, d2) = _TERMS[number]
    return (
        dt.date(_month_year(m1, school_year), m1, d1),
        dt.date(_month_year(m2, school_year), m2, d2),
    )


_TERMS = {1: ((9, 1), (10, 31)), 2: ((11, 1), (12, 31)), 3: ((1, 1), (3, 31)), 4: ((4, 1), (5, 31))}


def _quarters(text: str, school_year: int) -> tuple[dt.date, dt.date] | None:
    """Quarters «III и IV квартал 2023 г.», half-years «I полугодие», terms «2 четверть»."""
    intervals: list[tuple[dt.date, dt.date]] = []
    for match in _QUARTER_RE.finditer(text):
        following = _YEAR_RE.search(text[match.end() :])
        year = int(following.group(1)) if following else None
        for numeral in _NUMERAL_RE.findall(match.group(1)):
            intervals.append(
                _part_interval(_ROMAN[numeral], match.group(2), year, school_year, "учебн" in text)
            )
    if not intervals:
        return None
    return min(start for start, _ in intervals), max(end for _, end in intervals)


def _year_span(text: str, school_year: int) -> tuple[dt.date, dt.date] | None:
    """An interval named by years only: a school year «2021-2022 учебный год» or calendar years."""
    school = _SCHOOL_YEAR_RE.search(text)
    if school:
        first = int(school.group(1))
        second_raw = school.group(2)
        second = int(second_raw) if len(second_raw) == 4 else first // 100 * 100 + int(second_raw)
        if "учебн" in text and second == first + 1:
            return school_year_bounds(first)
        return dt.date(first, 1, 1), dt.date(second, 12, 31)
    years = [int(year) for year in _YEAR_RE.findall(text)]
    if years:
        if "учебн" in text:
            return school_year_bounds(years[0])
        return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    return None


def _has(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)


def _interval_or_year(
    text: str, school_year: int, last_year: int | None
) -> tuple[dt.date, dt.date]:
    """The interval named in a recurring or «в течение» text, else the school year.

    «Ежегодно» without months covers the program period up to 31 December of `last_year`.
    """
    months = _months(text, school_year)
    if months:
        return _months_interval(months)
    span = _year_span(text, school_year)
    if span:
        return span
    start, end = school_year_bounds(school_year)
    if "ежегодно" in text and last_year and last_year > end.year:
        end = dt.date(last_year, 12, 31)
    return start, end


def parse_deadline(text: str, school_year: int, last_year: int | None = None) -> Deadline:
    """Parse a deadline as written in a roadmap.

    `school_year` is the year of the September the program's (first) school year starts in;
    `last_year` is the last year of the program period, used only by «ежегодно».
    """
    value = normalize(text)
    if not value:
        return Deadline(Kind.UNPARSED)
    dates = _dates(value, school_year)
    if dates and not _has(value, _RECURRING):
        if len(dates) == 1:
            return Deadline(Kind.DATE, dates[0], dates[0])
        return Deadline(Kind.PERIOD, min(dates), max(dates))
    if _has(value, _ON_REQUEST):
        return Deadline(Kind.ON_REQUEST)
    if _has(value, _RECURRING) or re.search(r"\d\s*раз", value):
        return Deadline(Kind.RECURRING, *_interval_or_year(value, school_year, last_year))
    if _has(value, _DURING):
        return Deadline(Kind.DURING_YEAR, *_interval_or_year(value, school_year, last_year))
    quarter = _quarters(value, school_year)
    if quarter:
        return Deadline(Kind.PERIOD, *quarter)
    months = _months(value, school_year)
    if months:
        return Deadline(Kind.MONTHS, *_months_interval(months))
    if _has(value, _SCHEDULE):
        return Deadline(Kind.BY_SCHEDULE)
    span = _year_span(value, school_year)
    if span:
        return Deadline(Kind.PERIOD, *span)
    return Deadline(Kind.UNPARSED)


def is_overdue(end: dt.date | None, closed: bool, today: dt.date) -> bool:
    """An activity is overdue when its interval ended before `today` and it is not closed."""
    return end is not None and end < today and not closed
