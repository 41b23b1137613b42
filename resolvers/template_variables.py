"""Template variables: checking definitions against a style, and filling them in for a job.

A style is a JSON object whose string values (at any depth; object keys are left alone) may
hold ``{{key}}`` placeholders. A string that is exactly one placeholder becomes the variable's
typed value (a number stays a number); placeholders inside longer text are replaced by the
value's JSON text (``true``, ``2.5``; strings as they are; an absent optional value as ``""``).

Every placeholder must name a declared variable. A declared variable the style does not use is
allowed (a render farm may read it from the job's ``variables``) and reported on the template
as ``unusedVariables`` rather than refused.

Everything here is pure: problems go into a ``Checker`` so one response lists all of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.json_bounds import JsonBounds, json_size
from app.templating import PLACEHOLDER_RE, fill, placeholders_in, strings_in
from resolvers.validation import Checker, InputErrorCode

KEY_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]{0,63}")
COLOR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

MAX_VARIABLES = 50
MAX_OPTIONS = 100
MAX_OPTION_LENGTH = 200
MAX_STRING_LENGTH = 10_000
MAX_STYLE_BYTES = 64 * 1024
MAX_RESOLVED_STYLE_BYTES = 1024 * 1024
MAX_SAFE_NUMBER = 2**53
"""Numbers beyond this lose precision in JavaScript clients and in 64-bit JSON encoders."""


class VariableType(StrEnum):
    STRING = "string"
    NUMBER = "number"
    COLOR = "color"
    BOOLEAN = "boolean"
    SELECT = "select"


@dataclass(frozen=True, slots=True)
class VariableDefinition:
    key: str
    type: VariableType
    required: bool = False
    default: Any = None
    options: tuple[str, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "type": self.type.value,
            "required": self.required,
            "default": self.default,
            "options": list(self.options) if self.options is not None else None,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VariableDefinition:
        """From a stored template (already checked when it was written)."""
        options = data.get("options")
        return cls(
            key=data["key"],
            type=VariableType(data["type"]),
            required=bool(data.get("required", False)),
            default=data.get("default"),
            options=tuple(options) if options is not None else None,
        )


def definitions_of(stored: Sequence[Mapping[str, Any]]) -> list[VariableDefinition]:
    return [VariableDefinition.from_json(d) for d in stored]


def value_problem(definition: VariableDefinition, value: Any) -> tuple[InputErrorCode, str] | None:
    """Why ``value`` does not fit ``definition``, or None if it does."""
    kind = definition.type
    if kind is VariableType.NUMBER:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return InputErrorCode.INVALID, "must be a number"
        if not math.isfinite(value) or abs(value) > MAX_SAFE_NUMBER:
            return InputErrorCode.OUT_OF_RANGE, f"must be between -2^53 and 2^53 ({value!r})"
        return None
    if kind is VariableType.BOOLEAN:
        return None if isinstance(value, bool) else (InputErrorCode.INVALID, "must be a boolean")
    if not isinstance(value, str):
        return InputErrorCode.INVALID, "must be a string"
    if kind is VariableType.COLOR and not COLOR_RE.fullmatch(value):
        return InputErrorCode.INVALID, f"must be a color like #rgb or #rrggbb, not {value[:20]!r}"
    if kind is VariableType.SELECT and value not in (definition.options or ()):
        allowed = ", ".join(repr(o) for o in (definition.options or ())[:10])
        return InputErrorCode.INVALID, f"must be one of the options ({allowed})"
    if len(value) > MAX_STRING_LENGTH:
        return InputErrorCode.TOO_LONG, f"is longer than {MAX_STRING_LENGTH} characters"
    return None


def check_definitions(check: Checker, raw: Sequence[Any]) -> list[VariableDefinition]:
    """Parse variable definitions from input, reporting problems at ``variables.<index>.*``."""
    if len(raw) > MAX_VARIABLES:
        check.add(
            "variables",
            InputErrorCode.TOO_LONG,
            f"A template has at most {MAX_VARIABLES} variables.",
        )
        return []
    parsed: list[VariableDefinition] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        at = ("variables", str(index))
        if not isinstance(item, Mapping):
            check.add(at, InputErrorCode.INVALID, "A variable must be an object.")
            continue
        definition = _check_definition(check, at, item)
        if definition is None:
            continue
        if definition.key in seen:
            check.add(
                (*at, "key"),
                InputErrorCode.TAKEN,
                f"Variable `{definition.key}` is already declared at index {seen[definition.key]}.",
            )
            continue
        seen[definition.key] = index
        parsed.append(definition)
    return parsed


def _check_definition(
    check: Checker, at: tuple[str, ...], item: Mapping[str, Any]
) -> VariableDefinition | None:
    before = len(check.errors)
    key = item.get("key")
    if key is None or key == "":
        check.add((*at, "key"), InputErrorCode.REQUIRED, "`key` is required.")
    elif not isinstance(key, str) or not KEY_RE.fullmatch(key):
        check.add(
            (*at, "key"),
            InputErrorCode.INVALID,
            "`key` must be a letter or _ followed by up to 63 letters, digits or _.",
        )
    try:
        kind = VariableType(str(item.get("type")))
    except ValueError:
        known = ", ".join(t.value for t in VariableType)
        check.add((*at, "type"), InputErrorCode.INVALID, f"`type` must be one of {known}.")
        return None
    required = item.get("required", False)
    if required is None:
        required = False
    if not isinstance(required, bool):
        check.add((*at, "required"), InputErrorCode.INVALID, "`required` must be a boolean.")
    options = _check_options(check, at, kind, item.get("options"))
    if len(check.errors) > before:
        return None
    definition = VariableDefinition(str(key), kind, required, item.get("default"), options)
    if definition.default is not None:
        problem = value_problem(definition, definition.default)
        if problem is not None:
            code, message = problem
            check.add((*at, "default"), code, f"`default` {message}.")
            return None
    return definition


def _check_options(
    check: Checker, at: tuple[str, ...], kind: VariableType, options: Any
) -> tuple[str, ...] | None:
    path = (*at, "options")
    if kind is not VariableType.SELECT:
        if options is not None:
            check.add(path, InputErrorCode.INVALID, "Only `select` variables take `options`.")
        return None
    if not options:
        check.add(path, InputErrorCode.REQUIRED, "A `select` variable needs at least one option.")
        return None
    if not isinstance(options, list | tuple):
        check.add(path, InputErrorCode.INVALID, "`options` must be a list of strings.")
        return None
    if len(options) > MAX_OPTIONS:
        check.add(path, InputErrorCode.TOO_LONG, f"At most {MAX_OPTIONS} options.")
        return None
    if not all(isinstance(o, str) and o for o in options):
        check.add(path, InputErrorCode.INVALID, "Options must be non-empty strings.")
        return None
    if any(len(o) > MAX_OPTION_LENGTH for o in options):
        check.add(
            path, InputErrorCode.TOO_LONG, f"Options are at most {MAX_OPTION_LENGTH} characters."
        )
        return None
    if len(set(options)) != len(options):
        check.add(path, InputErrorCode.INVALID, "Options must be unique.")
        return None
    return tuple(options)


def check_style(check: Checker, style: Any) -> set[str]:
    """The keys a style's placeholders name; reports a malformed or oversized style."""
    if not isinstance(style, Mapping):
        check.add("style", InputErrorCode.INVALID, "`style` must be a JSON object.")
        return set()
    if not check.json_value("style", style, bounds=JsonBounds(max_bytes=MAX_STYLE_BYTES)):
        return set()
    keys: set[str] = set()
    malformed: set[str] = set()
    for text in strings_in(style):
        for match in PLACEHOLDER_RE.finditer(text):
            name = match.group(1).strip()
            if KEY_RE.fullmatch(name):
                keys.add(name)
            else:
                malformed.add(match.group(0))
    for placeholder in sorted(malformed)[:10]:
        check.add(
            "style",
            InputErrorCode.INVALID,
            f"`{placeholder[:80]}` is not a placeholder: use {{{{name}}}} with a variable key.",
        )
    return keys


def placeholders_of(style: Mapping[str, Any]) -> set[str]:
    """Placeholder keys of a stored (already checked) style."""
    return {name for name in placeholders_in(style) if KEY_RE.fullmatch(name)}


def check_template(check: Checker, style: Any, definitions: Sequence[VariableDefinition]) -> None:
    """The style and the variables together: every placeholder must be declared."""
    declared = {d.key for d in definitions}
    for key in sorted(check_style(check, style) - declared):
        check.add(
            "style",
            InputErrorCode.INVALID,
            f"`{{{{{key}}}}}` in `style` is not a declared variable; add it to `variables`.",
        )


def unused_variables(
    style: Mapping[str, Any], definitions: Sequence[VariableDefinition]
) -> list[str]:
    used = placeholders_of(style)
    return [d.key for d in definitions if d.key not in used]


def resolve_variables(
    check: Checker, definitions: Sequence[VariableDefinition], supplied: Mapping[str, Any]
) -> dict[str, Any]:
    """A job's variables merged over the template's defaults, each checked against its type.

    Problems are reported at ``variables.<key>``; an explicit null counts as not given.
    """
    by_key = {d.key: d for d in definitions}
    for key in supplied:
        if key not in by_key:
            check.add(
                ("variables", str(key)[:64]),
                InputErrorCode.UNKNOWN_VARIABLE,
                f"`{str(key)[:64]}` is not a variable of the template."
                if by_key
                else "The job has no template, so it takes no variables.",
            )
    merged: dict[str, Any] = {}
    for definition in definitions:
        at = ("variables", definition.key)
        value = supplied.get(definition.key)
        if value is None:
            value = definition.default
        if value is None:
            if definition.required:
                check.add(at, InputErrorCode.REQUIRED, f"`{definition.key}` is required.")
            merged[definition.key] = None
            continue
        problem = value_problem(definition, value)
        if problem is not None:
            code, message = problem
            check.add(at, code, f"`{definition.key}` {message}.")
        merged[definition.key] = value
    return merged


def render_style(style: Any, values: Mapping[str, Any]) -> Any:
    """``style`` with every placeholder replaced by its variable's value."""
    return fill(style, lambda name: (name in values, values.get(name)))


def check_resolved_size(check: Checker, resolved: Any) -> None:
    """Long string values repeated in many placeholders could blow a small style up."""
    if json_size(resolved) > MAX_RESOLVED_STYLE_BYTES:
        check.add(
            "variables",
            InputErrorCode.TOO_LONG,
            f"The style filled with these variables is larger than {MAX_RESOLVED_STYLE_BYTES} bytes.",
        )
