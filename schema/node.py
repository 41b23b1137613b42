"""``node(id:)``: any object by its prefixed id, under the read scope of its type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix, prefix_of
from resolvers.context import Context
from resolvers.permissions import require_scope
from schema.fields import query_field
from schema.models import Node

Load = Callable[[Context, str], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class NodeKind:
    model: Any
    graphql_type: Any
    read_scope: Scope
    load: Load | None = None
    """For kinds with objects beyond the table's rows (built-ins); default: the id loader."""


NODE_KINDS: dict[IdPrefix, NodeKind] = {}


def register_node(
    prefix: IdPrefix, model: Any, graphql_type: Any, read_scope: Scope, *, load: Load | None = None
) -> None:
    NODE_KINDS[prefix] = NodeKind(model, graphql_type, read_scope, load)


async def resolve_node(ctx: Context, node_id: str) -> Any | None:
    prefix = prefix_of(node_id)
    kind = NODE_KINDS.get(prefix) if prefix is not None else None
    if kind is None:
        return None
    require_scope(ctx, kind.read_scope)
    if kind.load is not None:
        return kind.graphql_type.maybe(await kind.load(ctx, node_id))
    row = await ctx.loaders.by_id(kind.model).load(node_id)
    return kind.graphql_type.maybe(row)


@strawberry.type
class NodeQueries:
    @query_field(
        scope=None,
        scope_checked_by="resolve_node: the read scope of the id's type",
        description="Any object by id, under the read scope of the object's type.",
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info.context, id)


QUERIES: tuple[type, ...] = (NodeQueries,)
MUTATIONS: tuple[type, ...] = ()
