"""Helpers that read settings from the environment and fail loudly on bad values."""

import datetime as dt
import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def load_dotenv(path: Path | None = None) -> None:
    """Load KEY=VALUE lines of `.env` (in the working directory) without overriding the shell."""
    path = path or Path.cwd() / ".env"
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=VALUE, got {line!r}")
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable `name`, or `default`; raise when neither exists."""
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean variable; accept 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    low = raw.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean")


def env_int(name: str, default: int) -> int:
    """Return an integer variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not an integer"
        ) from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_iso_date(name: str, raw: str) -> dt.date | None:
    """Parse a YYYY-MM-DD value of the setting `name`; empty means not set."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a date in the YYYY-MM-DD format"
        ) from exc


def env_date(name: str) -> dt.date | None:
    """Return a YYYY-MM-DD date variable, or None when it is missing or empty."""
    return parse_iso_date(name, os.environ.get(name, ""))
