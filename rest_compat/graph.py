"""Reading the GraphQL schema the way the REST layer needs it: resources, connections, ids.

Everything here works on graphql-core types, so it sees exactly what GraphQL callers see
(names after camel-casing, nullability, descriptions) and nothing about Python classes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_input_object_type,
    is_interface_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)

from rest_compat.naming import pascal, plural, snake

CONNECTION_FIELDS = frozenset({"nodes", "pageInfo"})


def unwrap_non_null(type_: Any) -> Any:
    return type_.of_type if is_non_null_type(type_) else type_


def is_connection(type_: Any) -> bool:
    named = get_named_type(type_)
    return is_object_type(named) and named.fields.keys() >= CONNECTION_FIELDS


def connection_node(type_: GraphQLOutputType) -> GraphQLObjectType | GraphQLInterfaceType:
    connection: Any = get_named_type(type_)
    node: GraphQLObjectType | GraphQLInterfaceType = get_named_type(connection.fields["nodes"].type)
    return node


def has_id(type_: Any) -> bool:
    named = get_named_type(type_)
    return (is_object_type(named) or is_interface_type(named)) and "id" in named.fields


def is_required(arg: GraphQLArgument | GraphQLInputField) -> bool:
    """A value must be given: non-null and no default."""
    return is_non_null_type(arg.type) and arg.default_value is Undefined


def required_args(field: GraphQLField) -> list[str]:
    return [name for name, arg in field.args.items() if is_required(arg)]


def is_id_type(type_: Any) -> bool:
    named = get_named_type(type_)
    return getattr(named, "name", None) == "ID" and not is_list_type(unwrap_non_null(type_))


def parent_id_names(
    fields: dict[str, GraphQLArgument] | dict[str, GraphQLInputField],
) -> list[str]:
    """Required ``<thing>Id: ID!`` arguments or input fields (``projectId``), in schema order."""
    return [
        name
        for name, value in fields.items()
        if name != "id" and name.endswith("Id") and is_id_type(value.type) and is_required(value)
    ]


def mutation_input(field: GraphQLField) -> GraphQLInputObjectType | None:
    """The ``input`` argument's type for ``verbNoun(input: ...)`` mutations."""
    if list(field.args) != ["input"]:
        return None
    named = get_named_type(field.args["input"].type)
    return named if is_input_object_type(named) else None


def is_flat_input(type_: GraphQLInputType) -> bool:
    """Fits in a query parameter: a leaf, or a list of leaves."""
    inner = unwrap_non_null(type_)
    if is_list_type(inner):
        inner = unwrap_non_null(inner.of_type)
    return is_leaf_type(inner)


@dataclass
class Resource:
    """A type with an ``id`` that REST addresses as ``/v1/<plural>``."""

    type_name: str
    plural: str = ""
    single_field: str | None = None
    list_fields: list[str] = field(default_factory=list)
    parent_arg: str | None = None
    """``projectId`` when the resource is listed under its parent (``/v1/projects/{id}/scenes``)."""
    nouns: set[str] = field(default_factory=set)
    """PascalCase words that name it inside mutation names (``Scene``, ``Scenes``)."""


@dataclass
class Resources:
    by_type: dict[str, Resource]

    def for_type(self, type_name: str) -> Resource | None:
        return self.by_type.get(type_name)

    def for_id_field(self, arg_name: str) -> Resource | None:
        """The resource a ``<thing>Id`` names: its single query or type is ``<thing>``, or else
        the one type whose name ends in the word (``endpointId`` → ``WebhookEndpoint``)."""
        noun = arg_name[: -len("Id")]
        word = pascal(noun)
        for resource in self.by_type.values():
            if resource.single_field == noun or resource.type_name == word:
                return resource
        ending = [
            r
            for r in self.by_type.values()
            if r.type_name.endswith(word) and r.type_name[-len(word) - 1 : -len(word)].islower()
        ]
        return ending[0] if len(ending) == 1 else None

    def for_parent_arg(self, arg_name: str) -> str:
        """The path segment of the resource a ``<thing>Id`` names: ``sceneId`` → ``scenes``."""
        resource = self.for_id_field(arg_name)
        return resource.plural if resource is not None else plural(snake(arg_name[: -len("Id")]))

    def noun_at(self, text: str, start: int) -> tuple[Resource, str] | None:
        """The longest resource noun that starts at ``text[start]`` and ends on a word boundary."""
        best: tuple[Resource, str] | None = None
        for resource in self.by_type.values():
            for noun in resource.nouns:
                end = start + len(noun)
                if not text.startswith(noun, start):
                    continue
                if end < len(text) and not text[end].isupper():
                    continue
                if best is None or len(noun) > len(best[1]):
                    best = (resource, noun)
        return best


def discover_resources(schema: GraphQLSchema, skip: Collection[str] = ()) -> Resources:
    """Every object type the root fields return by id or in a connection, with its REST plural.

    ``skip``: root fields (``Query.node``) that must not name a resource."""
    by_type: dict[str, Resource] = {}
    query = schema.query_type
    for name, root in (query.fields if query else {}).items():
        if f"Query.{name}" in skip:
            continue
        returned = get_named_type(root.type)
        if is_connection(root.type):
            node = connection_node(root.type)
            resource = by_type.setdefault(node.name, Resource(node.name))
            resource.list_fields.append(name)
        elif has_id(returned) and "id" in root.args and is_id_type(root.args["id"].type):
            resource = by_type.setdefault(returned.name, Resource(returned.name))
            resource.single_field = resource.single_field or name
    mutation = schema.mutation_type
    payload_names: dict[str, set[str]] = {}
    for root in (mutation.fields if mutation else {}).values():
        payload = get_named_type(root.type)
        if not is_object_type(payload):
            continue
        for field_name, payload_field in payload.fields.items():
            target = get_named_type(payload_field.type)
            if has_id(target):
                payload_names.setdefault(target.name, set()).add(field_name)
    for resource in by_type.values():
        _name_resource(schema, resource, payload_names.get(resource.type_name, set()))
    return Resources(by_type)


def _name_resource(schema: GraphQLSchema, resource: Resource, payload_fields: set[str]) -> None:
    query_fields = schema.query_type.fields if schema.query_type else {}
    singular = resource.single_field or resource.type_name[:1].lower() + resource.type_name[1:]
    expected = plural(snake(singular))
    lists = sorted(resource.list_fields, key=lambda n: snake(n) != expected)
    resource.plural = snake(lists[0]) if lists else expected
    if lists:
        parents = parent_id_names(query_fields[lists[0]].args)
        resource.parent_arg = parents[0] if parents else None
    words = {resource.type_name, singular, *resource.list_fields, *payload_fields}
    resource.nouns = {pascal(w) for w in words} | {pascal(plural(w)) for w in words}
