"""The OpenAPI document of ``/v1``, generated from the same endpoints that serve it.

Parameters, bodies and response schemas come from the GraphQL types the endpoints were
compiled from, descriptions from the GraphQL descriptions. It is OpenAPI 3.1, served at
``/v1/openapi.json`` and rendered by ``/docs``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import orjson
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLOutputType,
    GraphQLSchema,
    Undefined,
    ast_from_value,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
    value_from_ast_untyped,
)

from app.errors import ErrorCode
from app.manifests.checking import PROBLEM_CODES
from rest_compat.api import RestApi
from rest_compat.endpoints import Endpoint
from rest_compat.inputs import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Body,
    Param,
    Role,
    enum_choices,
    input_names,
)
from rest_compat.naming import snake
from rest_compat.output import Form, OutField, Shape
from rest_compat.routes import Kind
from rest_compat.samples import code_samples, example, sdk_method

ERROR_SCHEMA = "ErrorResponse"

REST_NAMES = {
    "first": "limit",
    "last": "limit",
    "after": "cursor",
    "before": "ending_before",
    "orderBy": "sort",
}
"""GraphQL arguments every list shares, by their REST names."""

GRAPHQL_IDIOMS = (("null if not visible", "404 if the key cannot see it"),)
"""Phrases of GraphQL descriptions and how the same behaviour reads over REST."""

_TICKED = re.compile(r"`([A-Za-z_][A-Za-z0-9_.<>]*)(\([A-Za-z0-9_,: ]*\))?`")
_CAMEL = re.compile(r"[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*")
_ENUM_VALUE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
ETAG_HEADER = {
    "description": "A strong validator of this answer; send it as `If-None-Match` to get `304` "
    "while the object is unchanged.",
    "schema": {"type": "string"},
}
DEPRECATION_HEADERS = {
    "Deprecation": {
        "description": "When this route or a field it returns was deprecated (RFC 9745).",
        "schema": {"type": "string"},
    },
    "Sunset": {
        "description": "When it stops working (RFC 8594, an HTTP date).",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": 'The changelog entry (`rel="deprecation"`).',
        "schema": {"type": "string"},
    },
}
INT32 = {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
SCALARS: dict[str, dict[str, Any]] = {
    "String": {"type": "string"},
    "ID": {"type": "string"},
    "Int": INT32,
    "Float": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "DateTime": {"type": "string", "format": "date-time"},
    "JSON": {},
}

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Malformed request (`BAD_REQUEST`, `QUERY_TOO_COMPLEX`)."),
    401: ("Unauthenticated", "Missing, unknown, revoked or expired API key."),
    403: ("Forbidden", "The key lacks the scope, project or network needed."),
    404: ("NotFound", "No such object visible to this key."),
    405: (
        "MethodNotAllowed",
        "The path exists, not with this method (`METHOD_NOT_ALLOWED`); `Allow` lists the methods.",
    ),
    409: ("Conflict", "Conflicting change (`CONFLICT`, `IDEMPOTENCY_KEY_IN_USE`)."),
    413: ("PayloadTooLarge", "Request body over the size limit."),
    415: (
        "UnsupportedMediaType",
        "A body without `Content-Type: application/json` (`UNSUPPORTED_MEDIA_TYPE`).",
    ),
    422: ("ValidationFailed", "Invalid parameters or body; `fields` names each problem."),
    429: ("TooManyRequests", "Rate limit or quota exceeded; retry after `Retry-After` seconds."),
    500: ("Internal", "Unexpected server error (`INTERNAL`); never a stack trace."),
}

INTRO = """Legacy REST access to Reelhouse, generated from the GraphQL schema: every route runs a \
GraphQL operation, so data, permissions, validation and errors are the same as on `/graphql`.

* Authenticate with `Authorization: Bearer <API key>`.
* Bodies and objects use snake_case keys; enum values are lowercase (`"active"`).
* Lists return `{"data": [...], "has_more": bool, "next_cursor": str|null, \
"previous_cursor": str|null}`; pass `limit` (1-100, default 25; more is refused with 422), \
`cursor` (a `next_cursor`) to page forwards or `ending_before` (a `previous_cursor`) to page \
backwards.
* Every error is `{"error": {"code", "message", "fields", "request_id"}}`."""


def rest_words(
    text: str | None, routes: Mapping[str, str], enum_values: frozenset[str] = frozenset()
) -> str | None:
    """A GraphQL description in REST words: ``orderBy`` → ``sort``, ``renderQuota`` →
    ``render_quota``, ``archiveProject`` (or ``project(id)``) → its route, an enum value
    (`` `READY` ``, one of ``enum_values``) as REST spells it (`` `ready` ``), GraphQL idioms
    replaced."""
    if not text:
        return text
    for graphql, rest in GRAPHQL_IDIOMS:
        text = text.replace(graphql, rest)

    def rename(match: re.Match[str]) -> str:
        name = match.group(1).removeprefix("input.")
        arguments = match.group(2) or ""
        if name in routes and _CAMEL.fullmatch(name):
            return f"`{routes[name]}`"
        if name in REST_NAMES:
            return f"`{REST_NAMES[name]}`"
        if name in enum_values and not arguments:
            return f"`{name.lower()}`"
        dotted = ".".join(snake(p) if _CAMEL.fullmatch(p) else p for p in name.split("."))
        return f"`{dotted}{_snake_words(arguments)}`"

    return _TICKED.sub(rename, text)


def _snake_words(text: str) -> str:
    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: snake(m.group(0)), text)


PROSE_ACRONYMS = frozenset({"HTTP", "REST"})
"""Enum values (``AuditTransport``) that descriptions also use as plain words ("HTTP status",
"REST route"): prose, not values to respell."""


def enum_values_of(schema: GraphQLSchema) -> frozenset[str]:
    """The values REST spells in lowercase: those of every enum, less codes (contract error
    codes, manifest problem codes, and every value of an enum holding a contract code, such as
    ``UserErrorCode``), which REST spells as GraphQL does; a word that is both (``INVALID``,
    ``TYPE``) or a protocol's name in prose (``PROSE_ACRONYMS``) is left as it is."""
    codes = {c.value for c in ErrorCode} | PROBLEM_CODES
    values: set[str] = set()
    for type_ in schema.type_map.values():
        if is_enum_type(type_) and not type_.name.startswith("__"):
            names = set(type_.values)
            if names & codes:
                codes |= names
            else:
                values |= {n for n in names if _ENUM_VALUE.fullmatch(n)}
    return frozenset(values - codes - PROSE_ACRONYMS)


class OpenApiBuilder:
    def __init__(self, api: RestApi) -> None:
        self.api = api
        self.components: dict[str, Any] = {}
        self.resources = {r.type_name for r in api.table.resources.by_type.values() if r.type_name}
        self.routes = {
            e.route.field: f"{e.route.method} {e.route.path}"
            for e in api.endpoints
            if e.route.alias_of is None
        }
        self.enum_values = enum_values_of(api.graphql_schema)

    def words(self, text: str | None) -> str | None:
        return rest_words(text, self.routes, self.enum_values)

    def build(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        used_ids: set[str] = set()
        for endpoint in self.api.endpoints:
            operation = self.operation(endpoint, used_ids)
            paths.setdefault(endpoint.route.path, {})[endpoint.route.method.lower()] = operation
        self.components[ERROR_SCHEMA] = self.error_schema()
        return {
            "openapi": "3.1.0",
            "info": {"title": "Reelhouse REST API", "version": "v1", "description": INTRO},
            "security": [{"bearerAuth": []}],
            "paths": paths,
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "An API key: `rh_live_…` (or `rh_test_…`).",
                    }
                },
                "schemas": dict(sorted(self.components.items())),
                "responses": {
                    name: self.error_response(status, text)
                    for status, (name, text) in ERROR_RESPONSES.items()
                },
            },
        }

    def nullable(self, schema: dict[str, Any]) -> dict[str, Any]:
        if not schema:
            return schema
        if "$ref" in schema:
            return {"anyOf": [schema, {"type": "null"}]}
        result = dict(schema)
        if "enum" in result:
            result["enum"] = [*result["enum"], None]
        if "type" in result:
            result["type"] = [result["type"], "null"]
        return result

    # -- outputs -----------------------------------------------------------------------

    def output(self, type_: GraphQLOutputType, item: dict[str, Any]) -> dict[str, Any]:
        """Wraps ``item`` (the named type's schema) in the list and null layers of ``type_``."""
        if is_non_null_type(type_):
            return self._wrap_output(type_.of_type, item)
        return self.nullable(self._wrap_output(type_, item))

    def _wrap_output(self, type_: Any, item: dict[str, Any]) -> dict[str, Any]:
        if is_list_type(type_):
            return {"type": "array", "items": self.output(type_.of_type, item)}
        return item

    def leaf(self, type_: Any) -> dict[str, Any]:
        named = get_named_type(type_)
        if is_enum_type(named):
            schema: dict[str, Any] = {"type": "string", "enum": enum_choices(named)}
            old = [name.lower() for name, value in named.values.items() if value.deprecation_reason]
            if old:
                schema["x-deprecated-values"] = old
            return schema
        schema = dict(SCALARS.get(named.name, {}))
        if named.name not in SCALARS and named.description:
            schema["description"] = self.words(named.description)
        return schema

    def shape(self, shape: Shape, extra: tuple[OutField, ...] = ()) -> dict[str, Any]:
        if shape.type_name in self.resources and not extra:
            return self.resource_ref(shape)
        return self.shape_schema(shape, extra)

    def resource_ref(self, shape: Shape) -> dict[str, Any]:
        if shape.type_name not in self.components:
            self.components[shape.type_name] = {}
            self.components[shape.type_name] = self.shape_schema(shape)
        return {"$ref": f"#/components/schemas/{shape.type_name}"}

    def shape_schema(self, shape: Shape, extra: tuple[OutField, ...] = ()) -> dict[str, Any]:
        properties = {}
        for out in (*shape.fields, *extra):
            properties[out.key] = self.out_field(out)
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        schema["required"] = list(properties)
        if shape.description:
            schema["description"] = self.words(shape.description)
        return schema

    def out_field(self, out: OutField) -> dict[str, Any]:
        if out.form is Form.REF:
            related = get_named_type(out.type).name
            item = {"type": "string", "description": f"Id of the related {related}."}
        elif out.form is Form.VALUE:
            assert out.shape is not None
            item = self.shape(out.shape)
        else:
            item = self.leaf(out.type)
        schema = self.output(out.type, item)
        if out.description and "$ref" not in schema and "allOf" not in schema:
            schema = {**schema, "description": self.words(out.description)}
        if out.deprecation:
            schema = {**schema, "deprecated": True}
        return schema

    # -- inputs ------------------------------------------------------------------------

    def input(self, type_: GraphQLInputType, *, with_null: bool = True) -> dict[str, Any]:
        if is_non_null_type(type_):
            return self._input_inner(type_.of_type)
        inner = self._input_inner(type_)
        return self.nullable(inner) if with_null else inner

    def _input_inner(self, type_: Any) -> dict[str, Any]:
        if is_list_type(type_):
            return {"type": "array", "items": self.input(type_.of_type)}
        if is_input_object_type(type_):
            return self.input_object(type_)
        return self.leaf(type_)

    def input_object(
        self, type_: GraphQLInputObjectType, skip: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        required: list[str] = []
        for key, target in input_names(type_).items():
            if target.name in skip:
                continue
            definition = target.field
            schema = self.input(definition.type)
            default = _default(definition.default_value, definition.type)
            if default is not Undefined:
                schema = {**schema, "default": default}
            if definition.description and "$ref" not in schema:
                schema = {**schema, "description": self.words(definition.description)}
            if definition.deprecation_reason:
                schema = {**schema, "deprecated": True}
            properties[key] = schema
            if is_non_null_type(definition.type) and definition.default_value is Undefined:
                required.append(key)
        schema = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            schema["required"] = required
        if type_.description:
            schema["description"] = self.words(type_.description)
        return schema

    # -- operations --------------------------------------------------------------------

    def operation(self, endpoint: Endpoint, used_ids: set[str]) -> dict[str, Any]:
        route = endpoint.route
        operation_id = route.field
        while operation_id in used_ids:
            operation_id += "_"
        used_ids.add(operation_id)
        description = self.words(endpoint.field.description) or ""
        summary = description.split("\n", 1)[0] or route.field
        graphql = f"Runs GraphQL `{route.operation} {{ {route.field} }}`."
        if route.alias_of is not None:
            description += (
                f"\n\nThe same operation as `{route.alias_of}`, at the address the published "
                "contract gives it."
            )
        result: dict[str, Any] = {
            "operationId": operation_id,
            "summary": summary,
            "description": f"{description}\n\n{graphql}".strip(),
            "tags": [self.tag(endpoint)],
            "parameters": [self.parameter(p, endpoint) for p in endpoint.binder.params],
            "responses": self.responses(endpoint),
        }
        body = endpoint.binder.body
        if body is not None and body.fields:
            result["requestBody"] = self.request_body(body)
        resource = self.tag(endpoint)
        method = sdk_method(route)
        result["x-sdk"] = {"resource": resource, "method": method}
        if route.alias_of is not None:
            result["x-sdk"]["alias"] = True
        result["x-codeSamples"] = self.samples(endpoint, resource, method, result)
        if endpoint.field.deprecation_reason:
            result["deprecated"] = True
            result["description"] += f"\n\n**Deprecated**: {endpoint.field.deprecation_reason}"
        if endpoint.deprecation is not None or endpoint.takes_deprecated:
            for response in result["responses"].values():
                if "$ref" not in response:
                    response["headers"] = {**response.get("headers", {}), **DEPRECATION_HEADERS}
        return result

    def samples(
        self, endpoint: Endpoint, resource: str, method: str, operation: dict[str, Any]
    ) -> list[dict[str, str]]:
        path: dict[str, Any] = {}
        query: dict[str, Any] = {}
        for param in operation["parameters"]:
            if param["in"] == "path":
                path[param["name"]] = example(param["name"], param["schema"])
            elif param["required"]:
                query[param["name"]] = example(param["name"], param["schema"])
        body: dict[str, Any] | None = None
        if "requestBody" in operation:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            properties = schema.get("properties", {})
            body = {n: example(n, properties[n]) for n in schema.get("required", ())}
        return code_samples(endpoint.route, resource, method, path, query, body)

    def tag(self, endpoint: Endpoint) -> str:
        """Routes are grouped by the resource they serve (nested lists under the child)."""
        return endpoint.route.group(self.api.table.resources)

    def parameter(self, param: Param, endpoint: Endpoint) -> dict[str, Any]:
        sort = endpoint.binder.sort
        description = param.description
        if param.role is Role.LIMIT:
            schema: dict[str, Any] = {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT}
            schema["maximum"] = MAX_LIMIT
            description = (
                f"Page size, 1-{MAX_LIMIT} (default {DEFAULT_LIMIT}); above {MAX_LIMIT} is "
                "refused with `422 VALIDATION_FAILED`."
            )
        elif param.role is Role.CURSOR:
            schema = {"type": "string"}
            description = "Items after this cursor: `next_cursor` of the previous page."
        elif param.role is Role.BEFORE:
            schema = {"type": "string"}
            description = (
                "Items before this cursor (`previous_cursor` of a page): pages backwards, "
                "`limit` items ending just before it, still in list order."
            )
        elif param.role is Role.SORT and sort is not None:
            choices = sort.choices()
            schema = {"type": "string"} if sort.many else {"type": "string", "enum": choices}
            description = (
                "Sort column; prefix `-` for descending (e.g. `-updated_at`)"
                + (", comma-separated for several" if sort.many else "")
                + f". One of: {', '.join(choices)}."
            )
        else:
            schema = self.input(param.type, with_null=False)
        result: dict[str, Any] = {
            "name": param.name,
            "in": param.source.value,
            "required": param.required,
            "schema": schema,
        }
        if description:
            result["description"] = self.words(description)
        if param.deprecation:
            result["deprecated"] = True
        return result

    def request_body(self, body: Body) -> dict[str, Any]:
        schema = self.input_object(body.type, body.provided)
        return {
            "required": bool(schema.get("required")),
            "content": {"application/json": {"schema": schema}},
        }

    def responses(self, endpoint: Endpoint) -> dict[str, Any]:
        route = endpoint.route
        responses: dict[str, Any] = {}
        payload = endpoint.payload
        nothing_returned = (
            route.kind is Kind.DELETE and payload is not None and (payload.primary is None)
        )
        success = {} if nothing_returned else self.success_schema(endpoint)
        if nothing_returned:
            responses["204"] = {"description": "Deleted; there is nothing to return."}
        elif route.kind is Kind.CREATE:
            created: dict[str, Any] = {
                "description": "Created.",
                "content": {"application/json": {"schema": success}},
            }
            if endpoint.location:
                created["headers"] = {
                    "Location": {
                        "description": "URL of the new object.",
                        "schema": {"type": "string"},
                        "required": True,
                    }
                }
            responses["201"] = created
        else:
            responses["200"] = {
                "description": "OK.",
                "content": {"application/json": {"schema": success}},
            }
            if route.kind is Kind.GET:
                responses["200"]["headers"] = {"ETag": ETAG_HEADER}
                responses["304"] = {
                    "description": "Not modified: `If-None-Match` holds the current `ETag`.",
                    "headers": {"ETag": ETAG_HEADER},
                }
        if route.kind in (Kind.DELETE, Kind.ACTION) and payload and payload.primary is not None:
            responses["204"] = {"description": "Done; there is no object to return."}
        statuses = [400, 401, 403, 422, 429, 500]
        if endpoint.binder.path_params or route.kind in (Kind.GET, Kind.QUERY, Kind.UPDATE):
            statuses.append(404)
        if route.operation == "mutation":
            statuses += [409, 413, 415]
        for status in sorted(statuses):
            name = ERROR_RESPONSES[status][0]
            responses[str(status)] = {"$ref": f"#/components/responses/{name}"}
        return responses

    def success_schema(self, endpoint: Endpoint) -> dict[str, Any]:
        route = endpoint.route
        if route.kind is Kind.LIST:
            assert endpoint.shape is not None
            return self.list_schema(endpoint.shape)
        if route.operation == "query":
            returned = endpoint.field.type
            if endpoint.shape is None:
                return self.output(returned, self.leaf(returned))
            if is_list_type(returned.of_type if is_non_null_type(returned) else returned):
                items = self.shape(endpoint.shape)
                return {
                    "type": "object",
                    "properties": {"data": {"type": "array", "items": items}},
                    "required": ["data"],
                }
            return self.shape(endpoint.shape)
        payload = endpoint.payload
        assert payload is not None
        primary = payload.primary
        if primary is None or primary.shape is None:
            return self.shape_schema(payload.shape)
        extras = tuple(f for f in payload.shape.fields if f is not primary)
        if primary.many:
            data = {"type": "array", "items": self.shape(primary.shape)}
            schema = self.shape_schema(Shape("", None, ()), extras)
            schema["properties"] = {"data": data, **schema["properties"]}
            schema["required"] = ["data", *schema["required"]]
            return schema
        if payload.merge_extras:
            return self.shape(primary.shape, extras)
        return self.shape_schema(payload.shape)

    def list_schema(self, shape: Shape) -> dict[str, Any]:
        name = f"{shape.type_name}List"
        if name not in self.components:
            self.components[name] = {
                "type": "object",
                "description": f"One page of {shape.type_name} objects.",
                "properties": {
                    "data": {"type": "array", "items": self.shape(shape)},
                    "has_more": {"type": "boolean"},
                    "next_cursor": self.nullable(
                        {"type": "string", "description": "Pass as `cursor` for the next page."}
                    ),
                    "previous_cursor": self.nullable(
                        {
                            "type": "string",
                            "description": "Pass as `ending_before` for the page before this "
                            "one; null on the first page.",
                        }
                    ),
                },
                "required": ["data", "has_more", "next_cursor", "previous_cursor"],
            }
        return {"$ref": f"#/components/schemas/{name}"}

    def error_schema(self) -> dict[str, Any]:
        field_error = {
            "type": "object",
            "properties": {
                "field": {"type": "string", "description": "e.g. `slug`, `variables.0.key`."},
                "code": {"type": "string", "description": "e.g. `INVALID`, `REQUIRED`."},
                "message": {"type": "string"},
            },
            "required": ["field", "code", "message"],
        }
        return {
            "type": "object",
            "description": "Every error, on every route.",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string", "enum": [c.value for c in ErrorCode]},
                        "message": {"type": "string"},
                        "fields": {"type": "array", "items": field_error},
                        "request_id": self.nullable({"type": "string"}),
                    },
                    "required": ["code", "message", "request_id"],
                }
            },
            "required": ["error"],
        }

    def error_response(self, status: int, text: str) -> dict[str, Any]:
        response: dict[str, Any] = {
            "description": text,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}
            },
        }
        if status == 401:
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
        if status == 429:
            response["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before retrying.",
                    "schema": {"type": "integer"},
                }
            }
        if status == 405:
            response["headers"] = {"Allow": {"schema": {"type": "string"}}}
        return response


def _default(value: Any, type_: GraphQLInputType) -> Any:
    if value is Undefined:
        return Undefined
    node = ast_from_value(value, type_)
    if node is None:
        return Undefined
    plain = value_from_ast_untyped(node)
    if isinstance(get_named_type(type_), GraphQLEnumType) and isinstance(plain, str):
        return plain.lower()
    return plain


def build_openapi(api: RestApi) -> dict[str, Any]:
    return OpenApiBuilder(api).build()


def openapi_json(api: RestApi) -> bytes:
    return orjson.dumps(build_openapi(api))
