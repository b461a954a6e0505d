"""Pseudonymous student keys and the recognition of columns that carry personal data.

A student key is HMAC-SHA256 of the source identifier under the installation secret
(`OPORA_PSEUDONYM_SECRET`), cut to 32 hex digits (128 bits). The same identifier gives the same
key in every file of one installation, so results link across years and procedures; without the
secret a key cannot be turned back into the identifier. Columns with names, birth dates or
document numbers are recognised by their header and dropped before anything is stored.
"""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from opora.core.importing.headers import normalize_text

KEY_LENGTH = 32
_BLOCK = 64  # SHA-256 block size in bytes

# Normalised header words that mark a column with personal data (checked as whole words or
# prefixes of the normalised header).
_PERSONAL_WORDS = (
    "фио",
    "фамилия",
    "имя",
    "отчество",
    "ф и о",
    "дата рождения",
    "год рождения",
    "рождения",
    "снилс",
    "паспорт",
    "документ",
    "серия",
    "номер документа",
    "свидетельство о рождении",
    "адрес",
    "телефон",
    "email",
    "e mail",
    "name",
    "surname",
    "first name",
    "last name",
    "birth",
    "birthdate",
    "snils",
    "passport",
    "document",
)


def is_personal_header(header: object) -> bool:
    """Whether a column header names personal data (a name, birth date, document number, ...)."""
    words = normalize_text(header).split()
    text = " ".join(words)
    if not text:
        return False
    for marker in _PERSONAL_WORDS:
        marker_words = marker.split()
        size = len(marker_words)
        for start in range(len(words) - size + 1):
            if words[start : start + size] == marker_words:
                return True
    return False


class Pseudonymiser:
    """Computes keys fast: the HMAC inner and outer states are prepared once per secret."""

    def __init__(self, secret: str | bytes | None = None):
        raw = secret if secret is not None else settings.OPORA_PSEUDONYM_SECRET
        key = raw.encode("utf-8") if isinstance(raw, str) else raw
        if not key:
            raise ImproperlyConfigured(
                "Environment variable OPORA_PSEUDONYM_SECRET is required to import results"
            )
        # HMAC (RFC 2104) with the padded-key states hashed once; `hmac.new` would redo it per key.
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def key(self, identifier: str, *, namespace: str = "") -> str:
        """The key of one source identifier; `namespace` separates identifier spaces."""
        inner = self._inner.copy()
        inner.update(f"{namespace}\x1f{identifier.strip()}".encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:KEY_LENGTH]

    def keys(self, identifiers: Iterable[str], *, namespace: str = "") -> list[str]:
        """Keys of many identifiers, in order."""
        return [self.key(identifier, namespace=namespace) for identifier in identifiers]


def student_key(identifier: str, *, namespace: str = "") -> str:
    """The pseudonymous key of a student identifier under this installation's secret."""
    return Pseudonymiser().key(identifier, namespace=namespace)
