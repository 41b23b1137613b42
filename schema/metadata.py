"""``updateMetadata``: one mutation for the metadata of every kind of object."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from app.ids import prefix_of
from resolvers import metadata as logic
from schema.errors import MutationPayload
from schema.fields import mutation_field
from schema.models import Node
from schema.node import NODE_KINDS
from schema.scalars import JSON


@strawberry.input
class UpdateMetadataInput:
    id: strawberry.ID = strawberry.field(
        description="Any object with metadata: project, character, scene, segment, asset, "
        "template or job."
    )
    set: JSON | None = strawberry.field(
        default=None, description="Keys to add or overwrite (a JSON object)."
    )
    remove: list[str] | None = strawberry.field(default=None, description="Keys to delete.")


@strawberry.type
class UpdateMetadataPayload(MutationPayload):
    node: Node | None = None
    metadata: JSON | None = strawberry.field(default=None, description="The merged metadata.")


def _as_node(row: Any) -> Any:
    prefix = prefix_of(row.id)
    kind = NODE_KINDS.get(prefix) if prefix is not None else None
    return None if kind is None else kind.graphql_type.from_row(row)


@strawberry.type
class MetadataMutations:
    @mutation_field(
        scope=None,
        scope_checked_by="resolvers.metadata.update_metadata: the write scope of the id's type",
        description="Merge keys into an object's metadata (`set`), and delete keys (`remove`). "
        "Needs the write scope of the object's type.",
    )
    async def update_metadata(
        self, info: Info, input: UpdateMetadataInput
    ) -> UpdateMetadataPayload:
        row = await logic.update_metadata(info.context, input.id, input.set, input.remove)
        return UpdateMetadataPayload(node=_as_node(row), metadata=row.meta)


QUERIES: tuple[type, ...] = ()
MUTATIONS: tuple[type, ...] = (MetadataMutations,)
