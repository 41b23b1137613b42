"""The ``/v1`` route table, derived from the schema's root fields by the naming conventions.

- list query (returns a connection) → ``GET /v1/<plural>``, nested under the parent when a
  ``<parent>Id: ID!`` argument is required (``GET /v1/projects/{project_id}/scenes``);
- ``thing(id: ID!)`` → ``GET /v1/<plural>/{id}``; a query without required arguments →
  ``GET /v1/<name>``;
- ``createThing`` → ``POST /v1/<plural>`` (nested when the input requires the parent's id),
  ``updateThing`` → ``PATCH /v1/<plural>/{id}``, ``deleteThing``/``archiveThing`` →
  ``DELETE /v1/<plural>/{id}``;
- any other ``verbThing[Rest]`` → ``POST /v1/<plural>/{id}/<verb_rest>`` when the input has an
  ``id``, else ``POST /v1/<plural>/<verb_rest>``.

Fields the rules cannot place are reported in ``RouteTable.unrouted`` (and fail a test) until
they get an entry in ``rest_compat.overrides``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from graphql import GraphQLField, GraphQLSchema, get_named_type, is_list_type, is_object_type

from rest_compat.graph import (
    Resource,
    Resources,
    connection_node,
    discover_resources,
    has_id,
    is_connection,
    is_id_type,
    is_required,
    mutation_input,
    parent_id_names,
    required_args,
    unwrap_non_null,
)
from rest_compat.naming import snake


class Kind(StrEnum):
    LIST = "list"
    GET = "get"
    QUERY = "query"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    ACTION = "action"


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    operation: str
    """``query`` or ``mutation``."""
    field: str
    kind: Kind
    resource: str | None = None
    """GraphQL type name of the object the route is about (``Project``)."""

    @property
    def key(self) -> str:
        return f"{self.operation.title()}.{self.field}"


@dataclass(frozen=True, slots=True)
class Override:
    """Places a root field the conventions cannot (``Query.templatePreview`` → a path)."""

    method: str
    path: str
    kind: Kind | None = None
    """Defaults to ``QUERY`` for queries and ``ACTION`` for mutations."""


@dataclass(frozen=True, slots=True)
class RouteTable:
    routes: tuple[Route, ...]
    excluded: Mapping[str, str]
    """``Query.node`` → why it has no route."""
    unrouted: Mapping[str, str]
    """Root fields with neither a route nor an exclusion → what the rules could not decide."""
    resources: Resources


_VERB = re.compile(r"^[a-z0-9]+")


def derive_routes(
    schema: GraphQLSchema,
    overrides: Mapping[str, Override],
    exclusions: Mapping[str, str],
    aliases: Mapping[str, Sequence[Override]] = MappingProxyType({}),
) -> RouteTable:
    """``aliases``: further routes for a field that has its own, run by the same document
    (paths a published contract fixed)."""
    resources = discover_resources(schema, skip=exclusions.keys())
    routes: list[Route] = []
    unrouted: dict[str, str] = {}
    roots = (("query", schema.query_type), ("mutation", schema.mutation_type))
    for operation, root in roots:
        for name, field in (root.fields if root else {}).items():
            key = f"{operation.title()}.{name}"
            if key in exclusions:
                continue
            if key in overrides:
                routes.append(_overridden(operation, name, field, overrides[key], resources))
                continue
            derive = _query_route if operation == "query" else _mutation_route
            route = derive(name, field, resources)
            if isinstance(route, str):
                unrouted[key] = route
            else:
                routes.append(route)
            for alias in aliases.get(key, ()):
                routes.append(_overridden(operation, name, field, alias, resources))
    return RouteTable(tuple(_settle_collisions(routes, unrouted)), exclusions, unrouted, resources)


def _overridden(
    operation: str, name: str, field: GraphQLField, override: Override, resources: Resources
) -> Route:
    returned = get_named_type(field.type)
    if operation == "mutation":
        payload_resource = _payload_resource(field, resources)
        resource = payload_resource.type_name if payload_resource else None
    else:
        resource = returned.name if resources.for_type(returned.name) else None
    default = Kind.QUERY if operation == "query" else Kind.ACTION
    return Route(
        override.method.upper(), override.path, operation, name, override.kind or default, resource
    )


def _query_route(name: str, field: GraphQLField, resources: Resources) -> Route | str:
    returned: Any = get_named_type(field.type)
    if is_connection(field.type):
        node = connection_node(field.type)
        parents = parent_id_names(field.args)
        base = _nested_base(resources, parents[0]) if parents else "/v1"
        return Route("GET", f"{base}/{snake(name)}", "query", name, Kind.LIST, node.name)
    id_arg = field.args.get("id")
    resource = resources.for_type(returned.name)
    if id_arg is not None and is_id_type(id_arg.type) and is_required(id_arg) and resource:
        segment = resource.plural if resource.single_field == name else snake(name)
        return Route("GET", f"/v1/{segment}/{{id}}", "query", name, Kind.GET, returned.name)
    if not required_args(field):
        inner = unwrap_non_null(field.type)
        if is_object_type(returned) or is_list_type(inner):
            type_name = returned.name if resource else None
            return Route("GET", f"/v1/{snake(name)}", "query", name, Kind.QUERY, type_name)
    return "a query with required arguments other than `id`: add an override or an exclusion"


def _nested_base(resources: Resources, parent_arg: str) -> str:
    return f"/v1/{resources.for_parent_arg(parent_arg)}/{{{snake(parent_arg)}}}"


def _payload_resource(field: GraphQLField, resources: Resources) -> Resource | None:
    payload = get_named_type(field.type)
    if not is_object_type(payload):
        return None
    found = [
        resources.for_type(get_named_type(f.type).name)
        for n, f in payload.fields.items()
        if n != "userErrors" and has_id(f.type)
    ]
    candidates = [r for r in found if r is not None]
    return candidates[0] if len(candidates) == 1 else None


def _mutation_route(name: str, field: GraphQLField, resources: Resources) -> Route | str:
    input_type = mutation_input(field)
    if input_type is None:
        return "a mutation that does not take one `input` object: add an override"
    verb_match = _VERB.match(name)
    verb = verb_match.group(0) if verb_match else ""
    rest = name[len(verb) :]
    resource: Resource | None = None
    remainder = rest
    for start in (i for i, c in enumerate(rest) if c.isupper()):
        found = resources.noun_at(rest, start)
        if found is not None:
            resource, noun = found
            remainder = rest[:start] + rest[start + len(noun) :]
            break
    if resource is None:
        resource = _payload_resource(field, resources)
    if resource is None:
        return "its name and payload name no resource with a list or `id` query: add an override"
    id_field = input_type.fields.get("id")
    by_id = id_field is not None and is_id_type(id_field.type) and is_required(id_field)
    parents = [p for p in parent_id_names(input_type.fields)]
    parent = resource.parent_arg if resource.parent_arg in parents else next(iter(parents), None)
    collection = f"/v1/{resource.plural}"
    if parent is not None:
        collection = f"{_nested_base(resources, parent)}/{resource.plural}"
    instance = f"/v1/{resource.plural}/{{id}}"
    plain = not remainder
    this = resource.type_name
    if verb == "create" and plain and not by_id:
        return Route("POST", collection, "mutation", name, Kind.CREATE, this)
    if verb == "update" and plain and by_id:
        return Route("PATCH", instance, "mutation", name, Kind.UPDATE, this)
    if verb in ("delete", "archive") and plain and by_id:
        return Route("DELETE", instance, "mutation", name, Kind.DELETE, this)
    action = snake(verb + remainder)
    if by_id:
        return Route("POST", f"{instance}/{action}", "mutation", name, Kind.ACTION, this)
    return Route("POST", f"{collection}/{action}", "mutation", name, Kind.ACTION, this)


def _settle_collisions(routes: list[Route], unrouted: dict[str, str]) -> list[Route]:
    """``deleteThing`` keeps ``DELETE`` when ``archiveThing`` also exists (archive becomes an
    action); any other clash is reported rather than silently shadowed."""
    settled: dict[tuple[str, str], tuple[int, Route]] = {}
    archive_last = sorted(enumerate(routes), key=lambda item: item[1].field.startswith("archive"))
    for index, route in archive_last:
        slot = (route.method, route.path)
        if slot in settled and route.kind is Kind.DELETE:
            route = replace(route, method="POST", path=f"{route.path}/archive", kind=Kind.ACTION)
            slot = (route.method, route.path)
        if slot in settled:
            unrouted[route.key] = f"same route as {settled[slot][1].key}: add an override"
            continue
        settled[slot] = (index, route)
    return [route for _, route in sorted(settled.values(), key=lambda item: item[0])]
