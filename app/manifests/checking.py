"""JSON Schema (draft 2020-12) checks: a schema against the metaschema, a document against a
schema, every problem reported as ``{pointer, code, message}`` with a JSON Pointer (RFC 6901)
into the checked document.

Format assertions are on (``date-time``, ``uri``, ``email``, ... : the formats whose checkers
are installed), and references must stay inside the schema: nothing is ever fetched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER
MAX_REPORTED = 100
"""Problems kept per check; ``Report.count`` still counts up to ``MAX_COUNTED``."""
MAX_COUNTED = 1000
MAX_MESSAGE = 300

_CODES: dict[str, str] = {
    "required": "REQUIRED",
    "dependentRequired": "REQUIRED",
    "type": "TYPE",
    "format": "FORMAT",
    "pattern": "PATTERN",
    "enum": "NOT_ALLOWED",
    "const": "NOT_ALLOWED",
    "minLength": "TOO_SHORT",
    "minItems": "TOO_SHORT",
    "minProperties": "TOO_SHORT",
    "minContains": "TOO_SHORT",
    "maxLength": "TOO_LONG",
    "maxItems": "TOO_LONG",
    "maxProperties": "TOO_LONG",
    "maxContains": "TOO_LONG",
    "minimum": "OUT_OF_RANGE",
    "maximum": "OUT_OF_RANGE",
    "exclusiveMinimum": "OUT_OF_RANGE",
    "exclusiveMaximum": "OUT_OF_RANGE",
    "multipleOf": "OUT_OF_RANGE",
    "additionalProperties": "UNKNOWN_FIELD",
    "unevaluatedProperties": "UNKNOWN_FIELD",
    "unevaluatedItems": "UNKNOWN_FIELD",
    "propertyNames": "INVALID_NAME",
    "uniqueItems": "DUPLICATE",
}
"""JSON Schema keyword that failed → the code partners see; anything else is ``INVALID``."""
PROBLEM_CODES = frozenset(
    {*_CODES.values(), "INVALID", "TYPE", "NOT_ALLOWED", "UNKNOWN_FIELD", "SCHEMA_ERROR"}
)
"""Every code a manifest problem may carry (``ManifestError.code``), spelled the same on REST."""


@dataclass(frozen=True, slots=True)
class Problem:
    pointer: str
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"pointer": self.pointer, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Report:
    problems: tuple[Problem, ...]
    """The first ``MAX_REPORTED``, ordered by pointer."""
    count: int

    @property
    def valid(self) -> bool:
        return self.count == 0


def pointer(path: Iterable[Any]) -> str:
    """``["assets", 0, "a/b"]`` → ``/assets/0/a~1b``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _problems(errors: Iterator[ValidationError]) -> Iterator[Problem]:
    required_seen: Counter[tuple[Any, ...]] = Counter()
    for error in errors:
        path = list(error.absolute_path)
        keyword = str(error.validator)
        if keyword == "required" and isinstance(error.instance, dict):
            # One error per missing property, in the order the schema lists them.
            key = (*path, *error.absolute_schema_path)
            missing = [n for n in error.validator_value if n not in error.instance]
            index = required_seen[key]
            required_seen[key] += 1
            if index < len(missing):
                path.append(missing[index])
        elif keyword == "additionalProperties" and isinstance(error.instance, dict):
            declared = error.schema.get("properties") or {}
            extra = [k for k in error.instance if k not in declared]
            if not error.schema.get("patternProperties") and extra:
                for name in extra:
                    yield Problem(
                        pointer([*path, name]), "UNKNOWN_FIELD", f"{name!r} is not allowed here."
                    )
                continue
        yield Problem(pointer(path), _CODES.get(keyword, "INVALID"), _shortened(error.message))


def _shortened(message: str) -> str:
    """jsonschema quotes the failing value, which may be a whole subtree."""
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def _report(problems: Iterable[Problem]) -> Report:
    kept: list[Problem] = []
    count = 0
    for problem in problems:
        count += 1
        if len(kept) < MAX_REPORTED:
            kept.append(problem)
        if count >= MAX_COUNTED:
            break
    return Report(tuple(sorted(kept, key=lambda p: p.pointer)), count)


@lru_cache(maxsize=1)
def _metaschema_validator() -> Draft202012Validator:
    return Draft202012Validator(Draft202012Validator.META_SCHEMA, format_checker=FORMAT_CHECKER)


def _references(value: Any) -> Iterator[tuple[list[Any], str]]:
    """``(path, target)`` of every ``$ref`` and ``$dynamicRef`` in a schema."""
    stack: list[tuple[list[Any], Any]] = [([], value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                if key in ("$ref", "$dynamicRef") and isinstance(item, str):
                    yield [*path, key], item
                else:
                    stack.append(([*path, key], item))
        elif isinstance(node, list):
            stack.extend(([*path, i], item) for i, item in enumerate(node))


def check_schema(document: Any) -> Report:
    """Problems that make ``document`` unusable as a manifest schema (pointers into it)."""
    if not isinstance(document, dict):
        return _report([Problem("", "TYPE", "A manifest schema is a JSON object.")])
    dialect = document.get("$schema", DIALECT)
    if dialect not in (DIALECT, DIALECT + "#"):
        return _report(
            [Problem("/$schema", "NOT_ALLOWED", f"Only draft 2020-12 (`{DIALECT}`) is supported.")]
        )
    found = list(_problems(_metaschema_validator().iter_errors(document)))
    if found:
        return _report(found)
    base = "urn:reelhouse:manifest-schema"
    resolver = Registry().with_resource(base, DRAFT202012.create_resource(document))
    lookups = resolver.resolver(base_uri=base)
    for path, target in _references(document):
        if not target.startswith("#"):
            found.append(
                Problem(
                    pointer(path),
                    "NOT_ALLOWED",
                    "References must point inside the schema (`#/$defs/...`); nothing is fetched.",
                )
            )
            continue
        try:
            lookups.lookup(target)
        except Unresolvable:
            found.append(Problem(pointer(path), "INVALID", f"`{target}` points at nothing."))
    return _report(found)


_validators: dict[tuple[str, int], Draft202012Validator] = {}
VALIDATOR_CACHE_SIZE = 256


def _validator(key: tuple[str, int], schema: dict[str, Any]) -> Draft202012Validator:
    validator = _validators.get(key)
    if validator is None:
        if len(_validators) >= VALIDATOR_CACHE_SIZE:
            _validators.clear()
        validator = _validators[key] = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    return validator


def validate(document: Any, schema: dict[str, Any], *, cache_key: tuple[str, int]) -> Report:
    """Every way ``document`` breaks ``schema``. ``cache_key`` identifies this version of the
    schema (its id and row version) so its compiled validator is reused."""
    validator = _validator(cache_key, schema)
    try:
        return _report(_problems(validator.iter_errors(document)))
    except (Unresolvable, RecursionError) as error:
        return _report([Problem("", "SCHEMA_ERROR", f"The schema cannot be applied: {error}")])
