"""Breaking changes between two GraphQL SDLs, with deprecation as the way to remove things.

graphql-core's ``find_breaking_changes`` runs on the old schema less what it had deprecated
(fields, arguments, input fields, enum values, and the types only those reached): removing a
deprecated element is the end of its announced life, not a break."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    NamedTypeNode,
    ObjectTypeDefinitionNode,
    TypeDefinitionNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    find_breaking_changes,
    parse,
    visit,
)
from graphql.language import Visitor

ROOTS = ("Query", "Mutation", "Subscription")


def _deprecated(node: Any) -> bool:
    return any(d.name.value == "deprecated" for d in node.directives or ())


def _kept(nodes: Any) -> tuple[Any, ...]:
    return tuple(n for n in nodes or () if not _deprecated(n))


def _prune(definition: Any) -> Any:
    if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
        fields = tuple(replace(f, arguments=_kept(f.arguments)) for f in _kept(definition.fields))
        return replace(definition, fields=fields)
    if isinstance(definition, InputObjectTypeDefinitionNode):
        return replace(definition, fields=_kept(definition.fields))
    if isinstance(definition, EnumTypeDefinitionNode):
        return replace(definition, values=_kept(definition.values))
    return definition


def _without_deprecated(document: DocumentNode) -> DocumentNode:
    return _reachable(DocumentNode(definitions=tuple(_prune(d) for d in document.definitions)))


class _Names(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_named_type(self, node: NamedTypeNode, *_args: Any) -> None:
        self.names.add(node.name.value)


def _reachable(document: DocumentNode) -> DocumentNode:
    """Drops type definitions nothing refers to any more (until none is left to drop)."""
    definitions = list(document.definitions)
    while True:
        names = _Names()
        for definition in definitions:
            if isinstance(definition, TypeDefinitionNode):
                for child in _children(definition):
                    visit(child, names)
            else:
                visit(definition, names)
        unused = [
            d
            for d in definitions
            if isinstance(d, TypeDefinitionNode)
            and d.name.value not in names.names
            and d.name.value not in ROOTS
        ]
        if not unused:
            return DocumentNode(definitions=tuple(definitions))
        definitions = [d for d in definitions if d not in unused]


def _children(definition: TypeDefinitionNode) -> list[Any]:
    """What a type refers to (not its own name)."""
    parts: list[Any] = []
    for attribute in ("fields", "interfaces", "types", "directives"):
        parts.extend(getattr(definition, attribute, None) or ())
    if isinstance(definition, UnionTypeDefinitionNode):
        parts.extend(definition.types or ())
    return parts


def graphql_breaking_changes(old_sdl: str, new_sdl: str) -> list[str]:
    """Descriptions of the changes from ``old_sdl`` that would break a client of it."""
    old = build_ast_schema(_without_deprecated(parse(old_sdl)), assume_valid_sdl=True)
    new = build_ast_schema(parse(new_sdl), assume_valid_sdl=True)
    return [f"GraphQL: {change.description}" for change in find_breaking_changes(old, new)]
