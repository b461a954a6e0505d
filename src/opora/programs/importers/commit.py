"""Saving a checked roadmap preview into a program through the services, all or nothing."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.programs.importers.preview import ActivityDraft, RoadmapPreview
from opora.programs.models import Program
from opora.programs.services import activity_create, track_create

_LIMITS = {"form": 500, "deadline_text": 500, "responsible_org": 500}


def _activity_data(draft: ActivityDraft) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": draft.number[:20],
        "name": draft.name,
        "form": draft.form,
        "deadline_text": draft.deadline_text,
        "deadline_kind": draft.deadline.kind.value,
        "deadline_start": draft.deadline.start,
        "deadline_end": draft.deadline.end,
        "responsible_org": draft.responsible,
        "expected_result": draft.expected_result,
        "expected_value": draft.expected_value,
        "completion_comment": draft.completion_mark,
    }
    for name, limit in _LIMITS.items():
        data[name] = data[name][:limit]
    return data


@transaction.atomic
def roadmap_import_commit(
    *, actor: Any, program: Program, preview: RoadmapPreview, source: str
) -> tuple[int, int]:
    """Append the tracks and activities of `preview` to `program`; returns (tracks, activities).

    Any invalid activity rolls the whole import back and raises ValidationError naming its row.
    """
    tracks = activities = 0
    for draft_track in preview.tracks:
        if not draft_track.activities:
            continue
        track = track_create(
            actor=actor, program=program, name=draft_track.name[:1000], source=source
        )
        tracks += 1
        for draft in draft_track.activities:
            try:
                activity_create(actor=actor, track=track, data=_activity_data(draft), source=source)
            except ValidationError as exc:
                raise ValidationError(f"{draft.where}: {'; '.join(exc.messages)}") from exc
            activities += 1
    return tracks, activities
