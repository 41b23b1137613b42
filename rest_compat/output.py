"""Selection sets generated from GraphQL object types, and the flat REST document each yields.

A REST object holds the type's scalar and enum fields, the ids of related objects
(``project { id }`` → ``project_id``; skipped when the type already has that key, e.g. a plain
``projectId`` field) and small value objects embedded whole. Connections are left to their own
routes. Aliases do the snake_case renaming inside GraphQL, so shaping a result only touches
enums (lowercased) and relation ids (unwrapped).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLOutputType,
    get_named_type,
    is_enum_type,
    is_interface_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)

from rest_compat.graph import has_id, is_connection, is_required, unwrap_non_null
from rest_compat.naming import singular, snake

MAX_VALUE_DEPTH = 3
"""Value objects nest at most this deep; deeper ones are left out of the REST document."""


class Form(StrEnum):
    PLAIN = "plain"
    ENUM = "enum"
    REF = "ref"
    VALUE = "value"


@dataclass(frozen=True, slots=True)
class OutField:
    key: str
    name: str
    form: Form
    many: bool
    type: GraphQLOutputType
    description: str | None
    shape: Shape | None = None
    deprecation: str | None = None
    """The GraphQL field's ``@deprecated`` reason."""


@dataclass(frozen=True, slots=True)
class Shape:
    type_name: str
    description: str | None
    fields: tuple[OutField, ...]
    _changing: tuple[OutField, ...] = field(default=(), repr=False)

    def selection(self, *extra: str) -> str:
        """The GraphQL selection set, with ``extra`` selections appended (``userErrors {…}``)."""
        parts: list[str] = []
        for out in self.fields:
            head = out.name if out.key == out.name else f"{out.key}: {out.name}"
            if out.form is Form.REF:
                parts.append(f"{head} {{ id }}")
            elif out.form is Form.VALUE:
                assert out.shape is not None
                parts.append(f"{head} {out.shape.selection()}")
            else:
                parts.append(head)
        return "{ " + " ".join((*parts, *extra)) + " }"

    def deprecations(self) -> list[tuple[str, str]]:
        """``(field path, reason)`` of every deprecated field in this document, nested too."""
        found: list[tuple[str, str]] = []
        for out in self.fields:
            if out.deprecation:
                found.append((f"{self.type_name}.{out.name}", out.deprecation))
            if out.shape is not None:
                found += out.shape.deprecations()
        return found

    def without(self, name: str) -> Shape:
        """This shape less one GraphQL field (a payload less its ``userErrors``)."""
        fields = tuple(f for f in self.fields if f.name != name)
        return Shape(self.type_name, self.description, fields, _changing_of(fields))

    def apply(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Reshapes one result object in place (it is ours: freshly built by the executor)."""
        for out in self._changing:
            value = obj.get(out.key)
            if value is None:
                continue
            if out.form is Form.ENUM:
                obj[out.key] = [_lower(v) for v in value] if out.many else value.lower()
            elif out.form is Form.REF:
                obj[out.key] = [_id(v) for v in value] if out.many else value["id"]
            elif out.shape is not None:
                if out.many:
                    for item in value:
                        if item is not None:
                            out.shape.apply(item)
                else:
                    out.shape.apply(value)
        return obj


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _id(value: dict[str, Any] | None) -> Any:
    return None if value is None else value["id"]


def _is_child_collection(parent: Any, target: Any) -> bool:
    """``Project.scenes``: the children point back (``Scene.projectId``) and have their own
    nested list route, so the parent's document does not carry an unbounded id list. A list
    like ``Segment.characters`` (no ``Character.segmentId``) stays as ``character_ids``."""
    back_reference = parent.name[:1].lower() + parent.name[1:] + "Id"
    return back_reference in target.fields


def _takes_required_args(definition: GraphQLField) -> bool:
    return any(is_required(arg) for arg in definition.args.values())


def build_shape(
    type_: Any, *, depth: int = 0, seen: frozenset[str] = frozenset(), embed: bool = False
) -> Shape:
    """The REST document of an object or interface type.

    ``embed``: objects with an id are embedded whole rather than as their id (a mutation
    payload's ``project`` is the response, not a reference)."""
    named = get_named_type(type_)
    candidates: list[tuple[str, OutField]] = []
    for name, definition in named.fields.items():
        if name.startswith("__") or _takes_required_args(definition):
            continue
        inner = unwrap_non_null(definition.type)
        many = is_list_type(inner)
        if many and is_list_type(unwrap_non_null(inner.of_type)):
            continue
        target = get_named_type(definition.type)
        description = definition.description
        reason = definition.deprecation_reason
        if is_leaf_type(target):
            form = Form.ENUM if is_enum_type(target) else Form.PLAIN
            out = OutField(
                snake(name), name, form, many, definition.type, description, None, reason
            )
            candidates.append(("leaf", out))
        elif is_connection(target) or not (is_object_type(target) or is_interface_type(target)):
            continue
        elif has_id(target) and embed:
            out = OutField(
                snake(name), name, Form.VALUE, many, definition.type, description, None, reason
            )
            candidates.append(("value", replace(out, shape=build_shape(target))))
        elif has_id(target) and many and _is_child_collection(named, target):
            continue
        elif has_id(target):
            key = f"{snake(singular(name))}_ids" if many else f"{snake(name)}_id"
            out = OutField(key, name, Form.REF, many, definition.type, description, None, reason)
            candidates.append(("ref", out))
        elif depth < MAX_VALUE_DEPTH and target.name not in seen:
            sub = build_shape(target, depth=depth + 1, seen=seen | {named.name})
            if sub.fields:
                out = OutField(
                    snake(name), name, Form.VALUE, many, definition.type, description, None, reason
                )
                candidates.append(("value", replace(out, shape=sub)))
    leaf_keys = {out.key for kind, out in candidates if kind == "leaf"}
    used: set[str] = set()
    kept: list[OutField] = []
    for kind, out in candidates:
        if out.key in used or (kind != "leaf" and out.key in leaf_keys):
            continue
        used.add(out.key)
        kept.append(out)
    fields = tuple(kept)
    return Shape(named.name, named.description, fields, _changing_of(fields))


def _changing_of(fields: tuple[OutField, ...]) -> tuple[OutField, ...]:
    return tuple(f for f in fields if f.form is not Form.PLAIN)


def nullable(type_: GraphQLOutputType) -> bool:
    return not is_non_null_type(type_)
