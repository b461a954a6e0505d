"""The application's one clock: the date deadlines, overdue activities and lateness count from.

`OPORA_TODAY` (YYYY-MM-DD) fixes it, e.g. to the demo data's «today»; otherwise it is the real
local date. Audit timestamps and `created_at` fields keep the real time and do not use it.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from opora.config.env import parse_iso_date


def fixed_today() -> dt.date | None:
    """The date set by `OPORA_TODAY`, or None when it is not set."""
    value = getattr(settings, "OPORA_TODAY", None)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        return parse_iso_date("OPORA_TODAY", value)
    raise ImproperlyConfigured(f"OPORA_TODAY={value!r} is not a date in the YYYY-MM-DD format")


def today() -> dt.date:
    """The application's today: `OPORA_TODAY` when set, otherwise the local date."""
    return fixed_today() or timezone.localdate()
