"""Methodology documents: named, versioned parameter sets validated by a JSON Schema.

A methodology is a JSON document (see `presets/default.json`, the values of METHODOLOGY.md §15)
validated against `methodology.schema.json` with the `jsonschema` package. `Methodology` is
immutable: `params` is a read-only mapping of read-only mappings and tuples. Use `param(path)` to
read a value by a dotted path and `with_overrides(...)` to derive an edited copy (validated again).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import jsonschema

DEFAULT_NAME = "default"


class MethodologyError(ValueError):
    """A methodology document is not valid; the message lists every problem with its path."""


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(item) for item in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema every methodology document must satisfy."""
    text = resources.files("opora.analytics").joinpath("methodology.schema.json").read_text("utf-8")
    return json.loads(text)


def validate_document(document: Mapping[str, Any]) -> None:
    """Raise `MethodologyError` listing every schema violation of `document`."""
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(_thaw(document)), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [
            f"{'.'.join(str(part) for part in error.absolute_path) or '(корень)'}: {error.message}"
            for error in errors
        ]
        raise MethodologyError("Методика не прошла проверку схемы:\n" + "\n".join(lines))
    levels = document["risk_profile"]["levels"]
    if levels["medium"] > levels["high"]:
        raise MethodologyError("risk_profile.levels: порог «средний» выше порога «высокий».")


@dataclass(frozen=True)
class Methodology:
    """An immutable, validated methodology: `name`, `version` and all parameters."""

    name: str
    version: str
    params: Mapping[str, Any]

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Methodology:
        """Validate a parsed JSON/YAML document and build the methodology."""
        validate_document(document)
        head = document["methodology"]
        return cls(name=head["name"], version=head["version"], params=_freeze(document))

    def param(self, path: str) -> Any:
        """The value at a dotted path, e.g. `param("shnor.r1.t_fail")`; KeyError names the path."""
        node: Any = self.params
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(f"methodology {self.name} {self.version}: no parameter {path!r}")
            node = node[part]
        return node

    def to_document(self) -> dict[str, Any]:
        """A plain, JSON-serialisable copy of the whole document (to store with a run)."""
        return _thaw(self.params)

    def with_overrides(self, overrides: Mapping[str, Any], **head: str) -> Methodology:
        """A validated copy with `{"dotted.path": value}` replaced (and `name`/`version` if given)."""
        document = copy.deepcopy(self.to_document())
        for path, value in overrides.items():
            *parents, last = path.split(".")
            node = document
            for part in parents:
                node = node[part]
            if last not in node:
                raise KeyError(f"methodology {self.name}: no parameter {path!r}")
            node[last] = _thaw(value)
        document["methodology"].update(head)
        return Methodology.from_document(document)


def preset_names() -> list[str]:
    """Names of the presets shipped with Opora."""
    folder = resources.files("opora.analytics").joinpath("presets")
    return sorted(
        p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")
    )


def load_preset(name: str = DEFAULT_NAME) -> Methodology:
    """Load a shipped preset by name (`default` when none is given)."""
    if name not in preset_names():
        raise MethodologyError(f"Нет методики «{name}»; есть: {', '.join(preset_names())}.")
    text = resources.files("opora.analytics").joinpath(f"presets/{name}.json").read_text("utf-8")
    return Methodology.from_document(json.loads(text))
