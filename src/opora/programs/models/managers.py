"""The manager that hides soft-deleted programs and tracks (and what hangs on them)."""

from typing import Any

from django.db import models


class LiveManager(models.Manager[Any]):
    """Rows whose own `deleted_at` and that of their track and program are empty.

    The lookups come from the model's `LIVE_PATHS` (not from arguments), so that the related
    managers Django derives from this class (`program.tracks`) filter the same way. Programs and
    tracks are deleted softly so that an administrator can restore them
    (`programs.deletion`); `all_objects` keeps seeing every row.
    """

    def get_queryset(self) -> models.QuerySet[Any]:
        paths: tuple[str, ...] = getattr(self.model, "LIVE_PATHS", ())
        return super().get_queryset().filter(**{f"{path}__isnull": True for path in paths})
