"""Schema validation of methodology documents with Russian messages naming each parameter."""

import json
from typing import Any

import jsonschema

from opora.analytics.methodology import schema

_MESSAGES = {
    "type": "должно быть {kind}",
    "minimum": "должно быть не меньше {value}",
    "maximum": "должно быть не больше {value}",
    "exclusiveMinimum": "должно быть больше {value}",
    "exclusiveMaximum": "должно быть меньше {value}",
    "enum": "допустимые значения: {value}",
    "const": "должно быть {value}",
    "required": "не хватает обязательного параметра",
    "additionalProperties": "лишний параметр (нет в схеме)",
    "minItems": "нужно не меньше {value} элементов",
    "maxItems": "нужно не больше {value} элементов",
    "uniqueItems": "элементы не должны повторяться",
    "pattern": "не соответствует формату",
    "minLength": "не должно быть пустым",
}
_TYPES = {
    "integer": "целым числом",
    "number": "числом",
    "string": "строкой",
    "boolean": "да/нет (true/false)",
    "array": "списком",
    "object": "набором параметров",
    "null": "пустым (null)",
}


def russian_errors(document: Any) -> list[str]:
    """Every schema violation of `document`, in Russian, with its dotted path."""
    validator = jsonschema.Draft202012Validator(schema())
    out = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(p) for p in error.absolute_path) or "(документ)"
        value = error.validator_value
        if error.validator == "type":
            kinds = value if isinstance(value, list) else [value]
            text = "должно быть " + " или ".join(_TYPES.get(str(k), str(k)) for k in kinds)
        elif error.validator == "required":
            missing = [str(name) for name in value if name not in (error.instance or {})]
            text = f"не хватает параметров: {', '.join(missing)}"
        elif error.validator in _MESSAGES:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            text = _MESSAGES[str(error.validator)].format(value=shown, kind="")
        else:
            text = "значение не подходит по схеме"
        out.append(
            f"{path}: {text} (сейчас: {json.dumps(error.instance, ensure_ascii=False)[:80]})"
        )
    if not out and isinstance(document, dict):
        levels = document.get("risk_profile", {}).get("levels", {})
        if levels.get("medium", 0) > levels.get("high", 1):
            out.append("risk_profile.levels: порог «средний» выше порога «высокий».")
    return out
