"""Roadmap import from DOCX and XLSX: read → recognise → preview → commit (all or nothing)."""

from pathlib import Path

from opora.programs.importers.commit import roadmap_import_commit
from opora.programs.importers.docx_source import read_docx
from opora.programs.importers.layout import recognise
from opora.programs.importers.preview import ActivityDraft, Problem, RoadmapPreview, TrackDraft
from opora.programs.importers.xlsx_source import read_xlsx

__all__ = [
    "ActivityDraft",
    "Problem",
    "RoadmapPreview",
    "TrackDraft",
    "UnsupportedFormatError",
    "read_roadmap",
    "roadmap_import_commit",
]


class UnsupportedFormatError(ValueError):
    """The file is neither DOCX nor XLSX."""


def read_roadmap(
    filename: str, data: bytes, *, school_year: int, last_year: int | None = None
) -> RoadmapPreview:
    """Read a roadmap file and parse its deadlines in the given school year (nothing is saved)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".docx":
        items = read_docx(data)
    elif suffix in (".xlsx", ".xlsm"):
        items = read_xlsx(data)
    else:
        raise UnsupportedFormatError(
            f"Формат «{suffix or filename}» не поддерживается: загрузите DOCX или XLSX."
        )
    preview = recognise(items)
    preview.resolve(school_year, last_year)
    return preview
