"""``node(id:)``: any object by its prefixed id, under the read scope of its type."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class NodeKind:
    model: Any
    graphql_type: Any
    read_scope: Scope


NODE_KINDS: dict[IdPrefix, NodeKind] = {}


def register_node(prefix: IdPrefix, model: Any, graphql_type: Any, read_scope: Scope) -> None:
    NODE_KINDS[prefix] = NodeKind(model, graphql_type, read_scope)


async def resolve_node(ctx: Context, node_id: str) -> Any | None:
    prefix = prefix_of(node_id)
    kind = NODE_KINDS.get(prefix) if prefix is not None else None
    if kind is None:
        return None
    require_scope(ctx, kind.read_scope)
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
