"""The ``/v1`` route table, derived from the schema's root fields by the naming conventions.

- list query (returns a connection) → ``GET /v1/<plural>``, nested under the parent when a
  ``<parent>Id: ID!`` argument is required (``GET /v1/projects/{project_id}/scenes``);
- ``thing(id: ID!)`` → ``GET /v1/<plural>/{id}``; a query without required arguments →
  ``GET /v1/<name>``;
- ``createThing`` → ``POST /v1/<plural>`` (nested when the input requires the parent's id),
  ``updateThing`` → ``PATCH /v1/<plural>/{id}``, ``deleteThing``/``archiveThing`` →
  ``DELETE /v1/<plural>/{id}``;
- any other mutation is an action, ``POST <target>/<action>`` (:func:`action_target`,
  :func:`action_name`): the target is the object the input names by ``id`` (or by its one
  required ``<thing>Id`` that is not the parent of a listed resource: ``endpointId`` →
  ``/v1/webhook_endpoints/{id}``), else the collection; the action is the mutation's name less
  the words naming resources, and less a leading ``send`` (``sendTestWebhook`` → ``test``).

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

from graphql import (
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLSchema,
    get_named_type,
    is_list_type,
    is_object_type,
)

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
    id_field: str = "id"
    """The argument or input field the path's ``{id}`` fills (``endpointId`` for
    ``POST /v1/webhook_endpoints/{id}/test``)."""
    alias_of: str | None = None
    """``METHOD path`` of the field's own route when this is a second address for it (a path
    a published contract fixed): documented, but not a second SDK method."""

    @property
    def key(self) -> str:
        return f"{self.operation.title()}.{self.field}"

    def group(self, resources: Resources) -> str:
        """The collection the path addresses (``/v1/projects/{project_id}/scenes/reorder`` →
        ``scenes``, ``/v1/webhook_endpoints/{id}/test`` → ``webhook_endpoints``): how docs,
        the index and the SDKs group routes."""
        segments = [s for s in self.path.split("/")[2:] if not s.startswith("{")]
        if self.kind is Kind.ACTION and len(segments) > 1:
            segments = segments[:-1]
        plurals = {r.plural for r in resources.by_type.values()}
        return next((s for s in reversed(segments) if s in plurals), segments[0])


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
                route: Route | str = _overridden(operation, name, field, overrides[key], resources)
            else:
                derive = _query_route if operation == "query" else _mutation_route
                route = derive(name, field, resources)
            if isinstance(route, str):
                unrouted[key] = route
                continue
            routes.append(route)
            for alias in aliases.get(key, ()):
                second = _overridden(operation, name, field, alias, resources)
                routes.append(replace(second, alias_of=f"{route.method} {route.path}"))
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


LIGHT_VERBS = frozenset({"send"})
"""Leading verbs that say only "do it": dropped from an action when another word remains."""

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def words(name: str) -> list[str]:
    """``sendTestWebhook`` → ``["send", "Test", "Webhook"]``."""
    return _WORD.findall(name)


def action_name(name: str, subject: Resource, resources: Resources) -> str:
    """The last path segment of an action: the mutation's words less the resource nouns in it
    and the words of its subject's type name, less a leading light verb."""
    verb = words(name)[0]
    rest = name[len(verb) :]
    kept: list[str] = []
    index = 0
    while index < len(rest):
        found = resources.noun_at(rest, index)
        if found is not None:
            index += len(found[1])
            continue
        word = words(rest[index:])[0]
        if word not in words(subject.type_name):
            kept.append(word)
        index += len(word)
    if verb in LIGHT_VERBS and kept:
        return snake("".join(kept))
    return snake(verb + "".join(kept))


def _takes_id(input_type: GraphQLInputObjectType) -> bool:
    """The input names the object it acts on with a required ``id: ID!``."""
    id_field = input_type.fields.get("id")
    return id_field is not None and is_id_type(id_field.type) and is_required(id_field)


def action_target(
    named: Resource, input_type: GraphQLInputObjectType, resources: Resources
) -> tuple[Resource, str | None, str | None]:
    """What an action acts on: ``(resource, id field, parent id field)``.

    The object the input names by ``id``; else, unless the input requires the parent id of the
    resource the name lists (``reorderScenes(projectId)`` acts on a project's scenes), the one
    object a required ``<thing>Id`` names (``sendTestWebhook(endpointId)``); else the
    resource's collection, nested under a required parent id."""
    if _takes_id(input_type):
        return named, "id", None
    parents = parent_id_names(input_type.fields)
    if named.parent_arg in parents:
        return named, None, named.parent_arg
    subjects = [(r, p) for p in parents if (r := resources.for_id_field(p)) is not None]
    if len(subjects) == 1:
        return subjects[0][0], subjects[0][1], None
    return named, None, next(iter(parents), None)


def _mutation_route(name: str, field: GraphQLField, resources: Resources) -> Route | str:
    input_type = mutation_input(field)
    if input_type is None:
        return "a mutation that does not take one `input` object: add an override"
    verb = words(name)[0]
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
    by_id = _takes_id(input_type)
    this = resource.type_name
    if not remainder and by_id and verb in ("update", "delete", "archive"):
        method, kind = ("PATCH", Kind.UPDATE) if verb == "update" else ("DELETE", Kind.DELETE)
        return Route(method, f"/v1/{resource.plural}/{{id}}", "mutation", name, kind, this)
    parents = parent_id_names(input_type.fields)
    if not remainder and not by_id and verb == "create":
        parent = resource.parent_arg if resource.parent_arg in parents else None
        collection = _collection(resources, resource, parent or next(iter(parents), None))
        return Route("POST", collection, "mutation", name, Kind.CREATE, this)
    subject, id_field, parent = action_target(resource, input_type, resources)
    action = action_name(name, subject, resources)
    if id_field is None:
        path = f"{_collection(resources, subject, parent)}/{action}"
        return Route("POST", path, "mutation", name, Kind.ACTION, this)
    path = f"/v1/{subject.plural}/{{id}}/{action}"
    return Route("POST", path, "mutation", name, Kind.ACTION, this, id_field)


def _collection(resources: Resources, resource: Resource, parent: str | None) -> str:
    if parent is None:
        return f"/v1/{resource.plural}"
    return f"{_nested_base(resources, parent)}/{resource.plural}"


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
