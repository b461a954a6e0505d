"""Evidence files of a completion mark: checked for size and type, stored under MEDIA_ROOT.

Files go to `MEDIA_ROOT/programs/evidence/<activity id>/` and are served only through the
scoped download page, never straight from MEDIA_URL.
"""

from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.programs.models import Activity, ActivityEvidence
from opora.programs.services import save_audited

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".odt",
    ".ods",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
)
# The first bytes of the formats above: a file named .pdf must look like a PDF.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG",),
}


def check_evidence_file(file: Any) -> None:
    """Refuse a file that is empty, too large, of another type or not what its name says."""
    name = PurePath(getattr(file, "name", "") or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        allowed = ", ".join(s.lstrip(".").upper() for s in EVIDENCE_SUFFIXES)
        raise ValidationError(
            f"Файл «{name}»: такой тип не принимается. Допустимы: {allowed}.", code="type"
        )
    size = getattr(file, "size", None) or 0
    if size == 0:
        raise ValidationError(f"Файл «{name}» пустой.", code="empty")
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            f"Файл «{name}» больше {MAX_EVIDENCE_BYTES // (1024 * 1024)} МБ.", code="size"
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        raise ValidationError(
            f"Файл «{name}» не похож на {suffix.lstrip('.').upper()}: проверьте, что это он.",
            code="signature",
        )


@transaction.atomic
def evidence_add(
    *, actor: Any, activity: Activity, file: Any, title: str = "", source: str
) -> ActivityEvidence:
    """Attach a file proving the activity was carried out, after checking it."""
    check_evidence_file(file)
    user = actor if getattr(actor, "is_authenticated", False) else None
    evidence = ActivityEvidence(activity=activity, file=file, title=title, uploaded_by=user)
    save_audited(actor=actor, instance=evidence, source=source)
    return evidence
