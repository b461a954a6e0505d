"""Tolerant matching of column headers: case, spaces, ё/е, punctuation and trailing units."""

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Units a header may end with ("…, %", "… (чел.)", "…, Мбит/с"); matching ignores them.
TRAILING_UNITS = (
    "%",
    "проц",
    "процентов",
    "чел",
    "человек",
    "ставок",
    "ставки",
    "ставка",
    "мбит/с",
    "мбит с",
    "часов в неделю",
    "ч/нед",
    "ч в неделю",
    "шт",
    "ед",
)

_PUNCTUATION = re.compile(r"[^\w%]+", re.UNICODE)
_UNIT_TAIL = re.compile(
    r"(?:[\s,;:]*[\(\[]?\s*(?:"
    + "|".join(re.escape(unit) for unit in sorted(TRAILING_UNITS, key=len, reverse=True))
    + r")\s*\.?\s*[\)\]]?\s*)+$"
)


def normalize_text(text: object) -> str:
    """Lower-case, ё→е, punctuation and runs of spaces to one space, trimmed."""
    value = unicodedata.normalize("NFKC", str(text or "")).casefold().replace("ё", "е")
    value = _PUNCTUATION.sub(" ", value).replace("_", " ")
    return " ".join(value.split())


def header_keys(text: object) -> tuple[str, str]:
    """The exact key of a header and its key without a trailing unit."""
    raw = unicodedata.normalize("NFKC", str(text or "")).casefold().replace("ё", "е").strip()
    base = _UNIT_TAIL.sub("", raw)
    return normalize_text(raw).replace("%", "").strip(), normalize_text(base).replace(
        "%", ""
    ).strip()


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class HeaderIndex:
    """Finds the column key a header names, among known headers and their aliases."""

    def __init__(self, names: Iterable[tuple[str, Sequence[str]]]):
        """`names` is (key, [header, alias, …]) for each known column."""
        self._exact: dict[str, str] = {}
        base: dict[str, set[str]] = {}
        for key, headers in names:
            for header in headers:
                exact, stem = header_keys(header)
                self._exact.setdefault(exact, key)
                base.setdefault(stem, set()).add(key)
        # A stem shared by two columns would be ambiguous, so it matches neither.
        self._base = {stem: next(iter(keys)) for stem, keys in base.items() if len(keys) == 1}

    def match(self, header: object) -> str | None:
        """The key of the column `header` names, or None."""
        exact, stem = header_keys(header)
        if not exact:
            return None
        return self._exact.get(exact) or self._base.get(stem) or self._base.get(exact)
