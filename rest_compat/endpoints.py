"""One compiled ``/v1`` endpoint per route: its GraphQL document, request binder and reply.

Everything is decided here, once at start-up: which parameters exist and where their values
go, the document text (validated against the schema, parsed and pinned in the schema's parse
cache), and how a GraphQL result becomes a status, a body and headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import (
    DocumentNode,
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLSchema,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_list_type,
    is_object_type,
    parse,
    validate,
)

from app.availability import as_unavailable
from app.errors import ApiError, ErrorCode, FieldError
from rest_compat.deprecation import (
    Deprecation,
    DeprecationFormatError,
    announced,
    parse_deprecation,
    soonest,
)
from rest_compat.graph import (
    is_flat_input,
    is_required,
    mutation_input,
    unwrap_non_null,
)
from rest_compat.inputs import Binder, Body, Param, Role, Sort, Source, invalid
from rest_compat.naming import snake
from rest_compat.output import Form, OutField, Shape, build_shape
from rest_compat.routes import Kind, Route

PATH_PARAM = re.compile(r"{([a-z_][a-z0-9_]*)}")

HIDDEN_NESTED = frozenset(
    {
        ErrorCode.UNAUTHORIZED_SCOPE.value,
        ErrorCode.FORBIDDEN.value,
        ErrorCode.NOT_FOUND.value,
        ErrorCode.INTERNAL.value,
    }
)
"""Codes a nested field may fail with while its parent is readable: the REST document then
shows that field as ``null``, as GraphQL does (a relation the key may not see; a stored value
that cannot be encoded, which must fail only itself, never the whole list)."""


class RouteBuildError(ValueError):
    """A route whose field the REST layer cannot express; names the field and the problem."""


class Result(Protocol):
    """An execution result, graphql-core's or Strawberry's."""

    @property
    def data(self) -> dict[str, Any] | None: ...

    @property
    def errors(self) -> list[GraphQLError] | None: ...


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: Any
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class PayloadPlan:
    """How a mutation payload becomes the response: its main object, plus any other fields."""

    shape: Shape
    primary: OutField | None
    merge_extras: bool


@dataclass(frozen=True)
class Endpoint:
    route: Route
    field: GraphQLField
    document: str
    binder: Binder
    shape: Shape | None
    """The REST document of the object (or list item) the route returns, if it returns one."""
    payload: PayloadPlan | None
    location: str | None
    """``/v1/projects/{id}`` for creates whose object has its own route."""
    deprecation: Deprecation | None = None
    """Set when the route's field, or a field of what it returns, is deprecated."""
    takes_deprecated: bool = False
    """Some input it takes (a parameter, a body field, an enum value) is deprecated."""

    def reply(
        self, result: Result, variables: Mapping[str, Any], deprecations: Sequence[str] = ()
    ) -> Reply:
        """``deprecations``: reasons of the deprecated inputs the request used."""
        reply = self._reply(result, variables)
        used = [announced(reason) for reason in deprecations]
        nearest = soonest([*used, self.deprecation] if self.deprecation else used)
        if nearest is None:
            return reply
        return Reply(reply.status, reply.body, {**reply.headers, **nearest.headers()})

    def _reply(self, result: Result, variables: Mapping[str, Any]) -> Reply:
        data = result.data or {}
        value = data.get(self.route.field)
        if result.errors:
            self._check_errors(result.errors, value)
        kind = self.route.kind
        if kind is Kind.LIST:
            return Reply(200, self._page(value), {})
        if self.route.operation == "query":
            if value is None:
                raise self._not_found(variables)
            if isinstance(value, list):
                body = {"data": [self._shaped(v) for v in value]}
                return Reply(200, body, {})
            return Reply(200, self._shaped(value), {})
        return self._mutation_reply(value, variables)

    def _shaped(self, value: Any) -> Any:
        if self.shape is None or not isinstance(value, dict):
            return value
        return self.shape.apply(value)

    def _page(self, connection: Any) -> dict[str, Any]:
        assert self.shape is not None
        info = connection["pageInfo"]
        more = bool(info["hasNextPage"])
        page = {
            "data": [self.shape.apply(n) for n in connection["nodes"]],
            "has_more": more,
            "next_cursor": info["endCursor"] if more else None,
        }
        if "hasPreviousPage" in info:
            page["previous_cursor"] = info["startCursor"] if info["hasPreviousPage"] else None
        return page

    def _mutation_reply(self, payload: Any, variables: Mapping[str, Any]) -> Reply:
        assert self.payload is not None
        if payload is None:
            raise ApiError(ErrorCode.INTERNAL, "Internal server error.")
        user_errors = payload.pop("userErrors", None) or []
        if user_errors:
            raise self._user_errors(user_errors)
        document = self.payload.shape.apply(payload)
        primary = self.payload.primary
        if primary is None:
            if self.route.kind is Kind.DELETE:
                return Reply(204, None, {})
            return Reply(200, document, {})
        obj = document.pop(primary.key)
        kind = self.route.kind
        if obj is None:
            if kind is Kind.CREATE:
                raise ApiError(ErrorCode.INTERNAL, "Internal server error.")
            if kind is Kind.UPDATE:
                raise self._not_found(variables)
            return Reply(204, None, {})
        if primary.many:
            body: dict[str, Any] = {"data": obj, **document}
        elif self.payload.merge_extras:
            body = {**obj, **document}
        else:
            body = {primary.key: obj, **document}
        if kind is Kind.CREATE:
            headers = {"Location": self.location.format(id=obj["id"])} if self.location else {}
            return Reply(201, body, headers)
        return Reply(200, body, {})

    def _not_found(self, variables: Mapping[str, Any]) -> ApiError:
        what = self.route.resource or snake(self.route.field)
        field = self.route.id_field
        given = variables.get(field) or (variables.get("input") or {}).get(field)
        suffix = f" `{given}`" if given else ""
        return ApiError(ErrorCode.NOT_FOUND, f"{what}{suffix} not found.")

    def _user_errors(self, user_errors: list[dict[str, Any]]) -> ApiError:
        for entry in user_errors:
            path = tuple(entry.get("field") or ())
            if entry.get("code") == ErrorCode.NOT_FOUND.value and self.binder.is_path_field(path):
                return ApiError(ErrorCode.NOT_FOUND, self._message(str(entry["message"]), path))
        fields = [
            self._field(e.get("field") or [], e.get("code"), e.get("message")) for e in user_errors
        ]
        quota = next((f for f in fields if f.code == ErrorCode.QUOTA_EXCEEDED.value), None)
        if quota is not None:
            # A quota that does not refill by itself (a project's renders, an organisation's
            # storage): 429 like the daily quotas, but without `Retry-After`.
            return ApiError(ErrorCode.QUOTA_EXCEEDED, quota.message, fields)
        return invalid(fields)

    def _field(self, path: list[Any] | tuple[Any, ...], code: Any, message: Any) -> FieldError:
        rest = self.binder.rest_field(path) or "body"
        return FieldError((rest,), str(code), self._message(str(message), path))

    def _message(self, message: str, path: list[Any] | tuple[Any, ...]) -> str:
        """Messages name fields in backticks; name them the REST way (`renderQuota` →
        `render_quota`, `after` → `cursor`)."""
        if not path:
            return message
        return message.replace(f"`{path[-1]}`", f"`{self.binder.rest_field(path)}`")

    def _check_errors(self, errors: list[GraphQLError], value: Any) -> None:
        if value is not None and all(
            len(e.path or ()) > 1 and _code(e) in HIDDEN_NESTED for e in errors
        ):
            return
        unavailable = [e for e in errors if _code(e) == ErrorCode.SERVICE_UNAVAILABLE.value]
        raise self.api_error((unavailable or errors)[0])

    def api_error(self, error: GraphQLError) -> ApiError:
        """A top-level GraphQL error as REST reports it: same code, fields in REST names."""
        original = error.original_error
        if isinstance(original, ApiError):
            fields = [self._field(f.field, f.code, f.message) for f in original.fields]
            message = original.message
            for f in original.fields:
                message = self._message(message, f.field)
            return ApiError(original.code, message, fields, original.headers, original.status)
        if original is not None:
            return as_unavailable(original) or ApiError(
                ErrorCode.INTERNAL, "Internal server error."
            )
        code = _code(error)
        if code not in ErrorCode.__members__:
            return ApiError(ErrorCode.BAD_REQUEST, error.message)
        extra = (error.extensions or {}).get("fields") or []
        fields = [self._field(f["field"], f["code"], f["message"]) for f in extra]
        return ApiError(ErrorCode(code), error.message, fields)


def _code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, ApiError):
        return original.code.value
    return str((error.extensions or {}).get("code", ""))


def compile_endpoint(
    schema: GraphQLSchema,
    route: Route,
    locations: Mapping[str, str],
    parse_document: Callable[[str], DocumentNode] = parse,
) -> Endpoint:
    """``parse_document`` may keep the parsed document (the schema's pinned parse cache)."""
    root = schema.query_type if route.operation == "query" else schema.mutation_type
    assert root is not None
    field = root.fields[route.field]
    try:
        if route.operation == "query":
            binder = _query_binder(route, field)
        else:
            binder = _mutation_binder(route, field)
    except RouteBuildError as error:
        raise RouteBuildError(f"{route.key} ({route.method} {route.path}): {error}") from None
    shape: Shape | None = None
    payload: PayloadPlan | None = None
    returned = get_named_type(field.type)
    if route.operation == "mutation":
        payload = _payload_plan(route, field)
        if payload.primary is not None:
            shape = payload.primary.shape
        selection = payload.shape.selection("userErrors { field code message }")
    elif route.kind is Kind.LIST:
        shape = build_shape(returned.fields["nodes"].type)
        page_info: Any = get_named_type(returned.fields["pageInfo"].type)
        both_ways = {"hasPreviousPage", "startCursor"} <= page_info.fields.keys()
        info = "hasNextPage endCursor" + (" hasPreviousPage startCursor" if both_ways else "")
        selection = f"{{ nodes {shape.selection()} pageInfo {{ {info} }} }}"
    elif is_object_type(returned) or hasattr(returned, "fields"):
        shape = build_shape(returned)
        selection = shape.selection()
    else:
        selection = ""
    document = _document(route, field, binder, selection)
    problems = validate(schema, parse_document(document))
    if problems:
        raise RouteBuildError(f"{route.key}: generated document is invalid: {problems[0].message}")
    location = None
    if route.kind is Kind.CREATE and route.resource is not None:
        location = locations.get(route.resource)
    deprecation = _deprecation(route, field, payload.shape if payload else shape)
    takes_deprecated = _dated(_input_deprecations(binder)) is not None
    return Endpoint(
        route, field, document, binder, shape, payload, location, deprecation, takes_deprecated
    )


def _deprecation(route: Route, field: GraphQLField, shape: Shape | None) -> Deprecation | None:
    reasons = [(route.key, field.deprecation_reason)] if field.deprecation_reason else []
    reasons += shape.deprecations() if shape is not None else []
    return _dated(reasons)


def _dated(reasons: Sequence[tuple[str, str]]) -> Deprecation | None:
    """The nearest sunset of ``(where, reason)`` pairs; a reason without its dates fails the
    route's build."""
    try:
        return soonest(parse_deprecation(reason, where) for where, reason in reasons)
    except DeprecationFormatError as error:
        raise RouteBuildError(str(error)) from None


def _input_deprecations(binder: Binder) -> list[tuple[str, str]]:
    """``(where, reason)`` of every deprecated input a request may use: arguments and filter
    fields, body fields at any depth, enum values."""
    found = [(p.name, p.deprecation) for p in binder.params if p.deprecation]
    pending: list[Any] = [p.type for p in binder.params]
    if binder.body is not None:
        pending.append(binder.body.type)
    seen: set[str] = set()
    while pending:
        named = get_named_type(pending.pop())
        if named.name in seen:
            continue
        seen.add(named.name)
        if is_enum_type(named):
            values = named.values.items()
            found += [
                (f"{named.name}.{n}", v.deprecation_reason)
                for n, v in values
                if v.deprecation_reason
            ]
        elif is_input_object_type(named):
            for name, item in named.fields.items():
                if item.deprecation_reason:
                    found.append((f"{named.name}.{name}", item.deprecation_reason))
                pending.append(item.type)
    return found


def _path_names(route: Route) -> list[str]:
    return PATH_PARAM.findall(route.path)


def _query_binder(route: Route, field: GraphQLField) -> Binder:
    by_snake = {snake(name): name for name in field.args}
    by_snake["id"] = route.id_field
    params: list[Param] = []
    bound: set[str] = set()
    for name in _path_names(route):
        bound_arg = by_snake.get(name)
        if bound_arg is None:
            raise RouteBuildError(f"path parameter `{name}` matches no argument")
        bound.add(bound_arg)
        target = field.args[bound_arg]
        params.append(_param(name, Source.PATH, (bound_arg,), target, required=True))
    sort: Sort | None = None
    listing = route.kind is Kind.LIST
    for arg_name, arg in field.args.items():
        if arg_name in bound:
            continue
        if listing and arg_name == "first":
            params.append(_param("limit", Source.QUERY, (arg_name,), arg, role=Role.LIMIT))
        elif listing and arg_name == "after":
            params.append(_param("cursor", Source.QUERY, (arg_name,), arg, role=Role.CURSOR))
        elif listing and arg_name == "before":
            params.append(_param("ending_before", Source.QUERY, (arg_name,), arg, role=Role.BEFORE))
        elif listing and arg_name == "last" and not is_required(arg):
            continue
        elif (found := _sort_of(arg_name, arg)) is not None:
            sort = found
            params.append(_param("sort", Source.QUERY, (arg_name,), arg, role=Role.SORT))
        elif is_flat_input(arg.type):
            params.append(_param(snake(arg_name), Source.QUERY, (arg_name,), arg))
        elif is_input_object_type(get_named_type(arg.type)):
            params.extend(_flattened(arg_name, arg))
        elif is_required(arg):
            raise RouteBuildError(f"required argument `{arg_name}` cannot be a query parameter")
    backward = ("last",) if listing and "last" in field.args else None
    return Binder(tuple(_unique(params)), sort=sort, backward_limit=backward)


def _unique(params: list[Param]) -> list[Param]:
    """First one wins a name (path, then arguments, then filter fields)."""
    seen: set[str] = set()
    kept = []
    for param in params:
        if param.name not in seen:
            seen.add(param.name)
            kept.append(param)
    return kept


def _flattened(arg_name: str, arg: GraphQLArgument) -> list[Param]:
    """``filter: {status, updatedAfter}`` → query parameters ``status`` and ``updated_after``."""
    type_: Any = get_named_type(arg.type)
    params = []
    for name, item in type_.fields.items():
        if not is_flat_input(item.type):
            if is_required(item) and is_required(arg):
                raise RouteBuildError(f"`{arg_name}.{name}` cannot be a query parameter")
            continue
        required = is_required(item) and is_required(arg)
        params.append(
            Param(
                snake(name),
                Source.QUERY,
                (arg_name, name),
                item.type,
                required,
                item.description,
                deprecation=item.deprecation_reason,
            )
        )
    return params


def _sort_of(arg_name: str, arg: GraphQLArgument) -> Sort | None:
    """An ordering input: one enum of columns and one enum of directions with ASC and DESC."""
    inner = unwrap_non_null(arg.type)
    many = is_list_type(inner)
    type_ = get_named_type(arg.type)
    if not is_input_object_type(type_):
        return None
    enums = {
        name: get_named_type(f.type)
        for name, f in type_.fields.items()
        if is_enum_type(get_named_type(f.type))
    }
    if len(enums) != 2 or len(type_.fields) != 2:
        return None
    direction = next((n for n, e in enums.items() if {"ASC", "DESC"} <= e.values.keys()), None)
    if direction is None:
        return None
    column = next(n for n in enums if n != direction)
    columns = {v.lower(): v for v in enums[column].values}
    return Sort((arg_name,), many, column, direction, columns, "ASC", "DESC")


def _param(
    name: str,
    source: Source,
    target: tuple[str, ...],
    arg: GraphQLArgument,
    *,
    required: bool | None = None,
    role: Role = Role.VALUE,
) -> Param:
    needed = is_required(arg) if required is None else required
    return Param(
        name, source, target, arg.type, needed, arg.description, role, arg.deprecation_reason
    )


def _mutation_binder(route: Route, field: GraphQLField) -> Binder:
    input_type = mutation_input(field)
    if input_type is None:
        raise RouteBuildError("a mutation must take exactly one `input` object")
    by_snake = {snake(name): name for name in input_type.fields}
    by_snake["id"] = route.id_field
    params: list[Param] = []
    for name in _path_names(route):
        target = by_snake.get(name)
        if target is None:
            raise RouteBuildError(f"path parameter `{name}` matches no input field")
        item = input_type.fields[target]
        params.append(
            Param(name, Source.PATH, ("input", target), item.type, True, item.description)
        )
    provided = frozenset(p.target[1] for p in params)
    return Binder(tuple(params), body=Body(("input",), input_type, provided))


def _payload_plan(route: Route, field: GraphQLField) -> PayloadPlan:
    payload_type = get_named_type(field.type)
    if not is_object_type(payload_type) or "userErrors" not in payload_type.fields:
        raise RouteBuildError(f"{route.key}: a mutation must return a payload with userErrors")
    full = build_shape(payload_type, embed=True)
    shape = full.without("userErrors")
    primary = next(
        (
            f
            for f in shape.fields
            if f.form is Form.VALUE and get_named_type(f.type).name == route.resource
        ),
        None,
    )
    merge = False
    if primary is not None and primary.shape is not None and not primary.many:
        object_keys = {f.key for f in primary.shape.fields}
        merge = not any(f.key in object_keys for f in shape.fields if f is not primary)
    return PayloadPlan(shape, primary, merge)


def _document(route: Route, field: GraphQLField, binder: Binder, selection: str) -> str:
    if route.operation == "mutation":
        input_type = field.args["input"].type
        head = f"mutation Rest_{route.field}($input: {input_type})"
        return f"{head} {{ {route.field}(input: $input) {selection} }}"
    targets = {p.target[0] for p in binder.params} | set(binder.backward_limit or ())
    used = [name for name in field.args if name in targets]
    declared = ", ".join(f"${name}: {field.args[name].type}" for name in used)
    passed = ", ".join(f"{name}: ${name}" for name in used)
    head = f"query Rest_{route.field}({declared})" if used else f"query Rest_{route.field}"
    call = f"{route.field}({passed})" if used else route.field
    return f"{head} {{ {call} {selection} }}"
