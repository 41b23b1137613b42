"""From a REST request (path, query string, JSON body) to GraphQL variables.

Values are converted with the GraphQL input types: snake_case keys to field names, lowercase
enum values to enum names, query-string text to numbers and booleans. Every problem is
collected with the REST name of the field (``render_quota``, ``variables.0.key``) and reported
at once as 422 ``VALIDATION_FAILED``; unknown parameters and body fields are refused, never
ignored. GraphQL still coerces the variables itself: this layer only has to be no looser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any, cast

import orjson
from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLScalarType,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
)

from app.errors import ApiError, ErrorCode, FieldError
from rest_compat.graph import is_required, unwrap_non_null
from rest_compat.naming import snake

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
"""The contract's page sizes: ``limit`` defaults to 25; above 100 is refused (422), as GraphQL
refuses ``first``/``last`` above 100 (the resolvers check it, for both transports)."""

INVALID = "INVALID"
REQUIRED = "REQUIRED"
OUT_OF_RANGE = "OUT_OF_RANGE"
UNKNOWN_FIELD = "UNKNOWN_FIELD"

_INT = re.compile(r"[+-]?\d{1,12}")
_INT32 = (-(2**31), 2**31 - 1)

Path = tuple[str, ...]


class Source(StrEnum):
    PATH = "path"
    QUERY = "query"


class Role(StrEnum):
    VALUE = "value"
    LIMIT = "limit"
    CURSOR = "cursor"
    BEFORE = "before"
    """``ending_before``: pages backwards; ``limit`` then fills ``last`` instead of ``first``."""
    SORT = "sort"


@dataclass(frozen=True, slots=True)
class InputName:
    name: str
    field: GraphQLInputField


@cache
def input_names(type_: GraphQLInputObjectType) -> Mapping[str, InputName]:
    """REST key → GraphQL input field, per input type (computed once)."""
    return {snake(name): InputName(name, value) for name, value in type_.fields.items()}


@cache
def enum_names(type_: GraphQLEnumType) -> Mapping[str, str]:
    """``active`` → ``ACTIVE``; callers may send either case."""
    return {name.lower(): name for name in type_.values}


def enum_choices(type_: GraphQLEnumType) -> list[str]:
    return [name.lower() for name in type_.values]


def _label(path: Path) -> str:
    return ".".join(path) or "body"


class Converter:
    """Converts one request's values, collecting every problem."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.deprecations: list[str] = []
        """Reasons of the deprecated input fields and enum values this request used."""

    def fail(self, path: Path, code: str, message: str) -> None:
        self.errors.append(FieldError(path, code, message))

    def json(self, value: Any, type_: GraphQLInputType, path: Path) -> Any:
        """A JSON value (a body field) for ``type_``."""
        if is_non_null_type(type_):
            if value is None:
                self.fail(path, REQUIRED, f"`{_label(path)}` must not be null.")
                return None
            type_ = type_.of_type
        if value is None:
            return None
        if is_list_type(type_):
            if not isinstance(value, list):
                self.fail(path, INVALID, f"`{_label(path)}` must be a list.")
                return None
            item_type = type_.of_type
            return [self.json(v, item_type, (*path, str(i))) for i, v in enumerate(value)]
        if is_input_object_type(type_):
            if not isinstance(value, dict):
                self.fail(path, INVALID, f"`{_label(path)}` must be an object.")
                return None
            return self.object(value, type_, path)
        if is_enum_type(type_):
            return self.enum(value, type_, path)
        return self.scalar(value, cast(GraphQLScalarType, type_), path)

    def object(
        self,
        value: Mapping[str, Any],
        type_: GraphQLInputObjectType,
        path: Path,
        *,
        provided: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        """``provided``: GraphQL fields that come from elsewhere (the path), refused here."""
        names = input_names(type_)
        result: dict[str, Any] = {}
        for key, item in value.items():
            target = names.get(key)
            if target is None or target.name in provided:
                where = " (it comes from the URL path)" if target is not None else ""
                self.fail((*path, key), UNKNOWN_FIELD, f"Unknown field `{key}`{where}.")
                continue
            result[target.name] = self.json(item, target.field.type, (*path, key))
            if target.field.deprecation_reason:
                self.deprecations.append(target.field.deprecation_reason)
        for key, target in names.items():
            if target.name in provided or target.name in result:
                continue
            if is_required(target.field):
                self.fail((*path, key), REQUIRED, f"`{_label((*path, key))}` is required.")
        return result

    def enum(self, value: Any, type_: GraphQLEnumType, path: Path) -> str | None:
        name = enum_names(type_).get(value.lower()) if isinstance(value, str) else None
        if name is None:
            choices = ", ".join(enum_choices(type_))
            self.fail(path, INVALID, f"`{_label(path)}` must be one of: {choices}.")
        elif type_.values[name].deprecation_reason:
            self.deprecations.append(str(type_.values[name].deprecation_reason))
        return name

    def scalar(self, value: Any, type_: GraphQLScalarType, path: Path) -> Any:
        try:
            type_.parse_value(value)
        except (GraphQLError, TypeError, ValueError) as error:
            message = error.message if isinstance(error, GraphQLError) else str(error)
            self.fail(path, INVALID, f"`{_label(path)}`: {message.rstrip('.')}.")
            return None
        return value

    def text(self, values: list[str], type_: GraphQLInputType, path: Path) -> Any:
        """Query-string or path text for ``type_``; a list type takes repeated parameters."""
        inner = unwrap_non_null(type_)
        if is_list_type(inner):
            item_type = inner.of_type
            return [self.text([v], item_type, (*path, str(i))) for i, v in enumerate(values)]
        if len(values) > 1:
            self.fail(path, INVALID, f"`{_label(path)}` must be given once.")
            return None
        text = values[0]
        named = get_named_type(inner)
        if is_enum_type(named):
            return self.enum(text, named, path)
        parsed: Any = text
        name = named.name
        if name == "Int":
            if not _INT.fullmatch(text) or not _INT32[0] <= int(text) <= _INT32[1]:
                self.fail(path, INVALID, f"`{_label(path)}` must be a 32-bit integer.")
                return None
            parsed = int(text)
        elif name == "Float":
            try:
                parsed = float(text)
            except ValueError:
                parsed = math.nan
            if not math.isfinite(parsed):
                self.fail(path, INVALID, f"`{_label(path)}` must be a number.")
                return None
        elif name == "Boolean":
            if text not in ("true", "false"):
                self.fail(path, INVALID, f"`{_label(path)}` must be `true` or `false`.")
                return None
            parsed = text == "true"
        elif name == "JSON":
            try:
                parsed = orjson.loads(text)
            except orjson.JSONDecodeError:
                parsed = text
        return self.scalar(parsed, named, path)

    def raise_if_any(self) -> None:
        if self.errors:
            raise invalid(self.errors)


def invalid(errors: list[FieldError]) -> ApiError:
    """422 naming every field; the message repeats the first few for humans reading logs."""
    messages = " ".join(e.message for e in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return ApiError(ErrorCode.VALIDATION_FAILED, f"Invalid request: {messages}{more}", errors)


@dataclass(frozen=True, slots=True)
class Param:
    """A path or query parameter and where its value goes in the variables."""

    name: str
    source: Source
    target: Path
    type: GraphQLInputType
    required: bool
    description: str | None
    role: Role = Role.VALUE
    deprecation: str | None = None
    """The ``@deprecated`` reason of the argument or filter field it fills."""


@dataclass(frozen=True, slots=True)
class Sort:
    """``sort=-updated_at`` → ``orderBy: {field: UPDATED_AT, direction: DESC}``."""

    target: Path
    many: bool
    field_key: str
    direction_key: str
    fields: Mapping[str, str]
    ascending: str
    descending: str

    def choices(self) -> list[str]:
        return [f"{sign}{name}" for name in self.fields for sign in ("", "-")]


@dataclass(frozen=True, slots=True)
class Body:
    """The JSON body fills one input object variable, less the fields bound from the path."""

    target: Path
    type: GraphQLInputObjectType
    provided: frozenset[str]

    @property
    def fields(self) -> dict[str, InputName]:
        return {k: v for k, v in input_names(self.type).items() if v.name not in self.provided}


@dataclass(frozen=True, slots=True)
class Bound:
    """One request's variables, and the ``@deprecated`` reasons of the inputs it used (its
    answer announces them as a deprecated route's does)."""

    variables: dict[str, Any]
    deprecations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Binder:
    params: tuple[Param, ...]
    body: Body | None = None
    sort: Sort | None = None
    backward_limit: Path | None = None
    """Where ``limit`` goes when the list is paged backwards (``("last",)``)."""
    by_name: dict[str, Param] = field(init=False)
    path_params: tuple[Param, ...] = field(init=False)
    _rest_names: dict[Path, str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {p.name: p for p in self.params})
        object.__setattr__(
            self, "path_params", tuple(p for p in self.params if p.source is Source.PATH)
        )
        names = {p.target: p.name for p in self.params}
        limit = next((p for p in self.params if p.role is Role.LIMIT), None)
        if limit is not None and self.backward_limit is not None:
            names[self.backward_limit] = limit.name
        object.__setattr__(self, "_rest_names", names)

    def bind(self, path: Mapping[str, str], query: list[tuple[str, str]], body: Any) -> Bound:
        """The variables for one request; raises 422 naming every bad field."""
        convert = Converter()
        variables: dict[str, Any] = {}
        for param in self.path_params:
            value = convert.text([path[param.name]], param.type, (param.name,))
            _put(variables, param.target, value)
        grouped: dict[str, list[str]] = {}
        for key, value in query:
            grouped.setdefault(key, []).append(value)
        limit: int | None = None
        backward = False
        for key, values in grouped.items():
            given = self.by_name.get(key)
            if given is None or given.source is not Source.QUERY:
                convert.fail((key,), UNKNOWN_FIELD, f"Unknown query parameter `{key}`.")
            elif given.role is Role.LIMIT:
                limit = convert.text(values, given.type, (key,))
            elif given.role is Role.SORT and self.sort is not None:
                _put(variables, given.target, self._sort(convert, values))
            else:
                backward = backward or given.role is Role.BEFORE
                _put(variables, given.target, convert.text(values, given.type, (key,)))
            if given is not None and given.deprecation:
                convert.deprecations.append(given.deprecation)
        for param in self.params:
            if param.source is Source.QUERY and param.required and param.name not in grouped:
                convert.fail((param.name,), REQUIRED, f"`{param.name}` is required.")
            if param.role is Role.LIMIT:
                target = self.backward_limit if backward and self.backward_limit else param.target
                _put(variables, target, DEFAULT_LIMIT if limit is None else limit)
        if self.body is not None:
            self._bind_body(convert, variables, body)
        elif body is not None and body != {}:
            convert.fail(("body",), UNKNOWN_FIELD, "This route takes no request body.")
        convert.raise_if_any()
        return Bound(variables, tuple(convert.deprecations))

    def _bind_body(self, convert: Converter, variables: dict[str, Any], body: Any) -> None:
        assert self.body is not None
        given = convert.object(body or {}, self.body.type, (), provided=self.body.provided)
        target = variables.setdefault(self.body.target[0], {})
        for key in self.body.target[1:]:
            target = target.setdefault(key, {})
        target.update(given)

    def _sort(self, convert: Converter, values: list[str]) -> Any:
        assert self.sort is not None
        sort = self.sort
        items = [item for value in values for item in value.split(",")]
        if not sort.many and len(items) != 1:
            convert.fail(("sort",), INVALID, "`sort` takes one field.")
            return None
        orders = []
        for item in items:
            name = sort.fields.get(item.lstrip("-").lower())
            if name is None:
                choices = ", ".join(sort.choices())
                convert.fail(("sort",), INVALID, f"`sort` must be one of: {choices}.")
                return None
            direction = sort.descending if item.startswith("-") else sort.ascending
            orders.append({sort.field_key: name, sort.direction_key: direction})
        return orders if sort.many else orders[0]

    def is_path_field(self, path: tuple[str, ...]) -> bool:
        """The GraphQL field path is filled from the URL path (``input.id``)."""
        param = self.by_name.get(self._rest_names.get(tuple(str(p) for p in path), ""))
        return param is not None and param.source is Source.PATH

    def rest_field(self, path: list[str | int] | tuple[str, ...]) -> str:
        """A GraphQL field path (``["input", "renderQuota"]``, ``["after"]``) in REST names."""
        parts = tuple(str(p) for p in path)
        for cut in range(len(parts), 0, -1):
            name = self._rest_names.get(parts[:cut])
            if name is not None:
                param = self.by_name.get(name)
                if param is not None and param.role is Role.SORT:
                    return name
                below = rest_path(param.type if param else None, parts[cut:])
                return ".".join((name, *below))
        if self.body is not None and parts[: len(self.body.target)] == self.body.target:
            return ".".join(rest_path(self.body.type, parts[len(self.body.target) :]))
        return ".".join(snake(p) for p in parts)


def rest_path(type_: GraphQLInputType | None, parts: tuple[str, ...]) -> list[str]:
    """Path segments below a value of ``type_`` in REST names: input fields snake_cased, list
    indexes as they are, and everything inside a scalar (a ``JSON`` value's keys, such as a
    template variable ``fontSize``) as the caller spelled it: that is data, not a field."""
    names: list[str] = []
    current: Any = type_
    for index, part in enumerate(parts):
        inner = unwrap_non_null(current) if current is not None else None
        if inner is not None and is_list_type(inner):
            names.append(part)
            current = inner.of_type
        elif inner is None or is_input_object_type(inner):
            field = inner.fields.get(part) if inner is not None else None
            names.append(snake(part))
            current = field.type if field is not None else None
        else:
            names.extend(parts[index:])
            break
    return names


def _put(variables: dict[str, Any], target: Path, value: Any) -> None:
    for key in target[:-1]:
        variables = variables.setdefault(key, {})
    variables[target[-1]] = value
