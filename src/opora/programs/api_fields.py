"""A choice field documented in the OpenAPI schema as a string listing its values.

Fields named alike with other choices elsewhere in the API («status», «kind», «level») would
otherwise collide as enum components of the schema.
"""

from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def documented_choice(choices: type[models.TextChoices], title: str) -> Any:
    """A ChoiceField class over `choices`, documented as a string."""
    description = f"{title}: " + ", ".join(f"{c.value} — {c.label}" for c in choices)

    @extend_schema_field({"type": "string", "description": description})
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = f"{choices.__name__}Field"
    return Field
