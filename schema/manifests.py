"""Manifest schemas and manifests in the GraphQL contract."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.manifests.builtin import is_builtin
from app.models import Manifest, ManifestSchema, Project
from app.models import ManifestStatus as ManifestStatusValue
from app.traffic.cost import FieldCost
from resolvers import manifest_schemas as schema_logic
from resolvers import manifests as logic
from schema.connections import Connection, order_by_input, ordering
from schema.costs import cost_metadata
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.models import Node
from schema.node import register_node
from schema.projects import ProjectType
from schema.scalars import JSON

ManifestStatus = strawberry.enum(
    ManifestStatusValue,
    name="ManifestStatus",
    description="VALID: the document meets its schema (and its assets were registered); "
    "INVALID: see `errors`.",
)


@strawberry.enum(description="What a manifest did with one of its assets.")
class ManifestAssetOutcome(Enum):
    CREATED = "created"
    REUSED = strawberry.enum_value(
        "reused", description="An existing asset: same `id` and fields, or the same `sha256`."
    )
    UPDATED = strawberry.enum_value("updated", description="Same `id`, changed fields.")


@strawberry.type(
    name="ManifestSchema",
    description="A JSON Schema (draft 2020-12) manifests are checked against; it cannot change "
    "once a manifest used it.",
)
class ManifestSchemaType(Node):
    name: str
    version: int
    description: str
    schema: JSON | None = strawberry.field(description="The JSON Schema document.")
    built_in: bool = strawberry.field(description="Ships with Reelhouse; every organisation's.")
    used: bool = strawberry.field(
        description="Manifests were checked against it, so it can no longer change."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: ManifestSchema) -> ManifestSchemaType:
        builtin = is_builtin(row)
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            version=row.schema_version,
            description=row.description,
            schema=cast(JSON, row.document),
            built_in=builtin,
            used=builtin or row.used_at is not None,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    @classmethod
    def maybe(cls, row: ManifestSchema | None) -> ManifestSchemaType | None:
        return None if row is None else cls.from_row(row)


@strawberry.type(description="One way a manifest breaks its schema.")
class ManifestError:
    pointer: str = strawberry.field(
        description="JSON Pointer (RFC 6901) into the document, e.g. `/assets/3/sha256`; "
        "empty for the document itself."
    )
    code: str = strawberry.field(
        description="REQUIRED, TYPE, FORMAT, PATTERN, NOT_ALLOWED, TOO_SHORT, TOO_LONG, "
        "OUT_OF_RANGE, UNKNOWN_FIELD, INVALID_NAME, DUPLICATE, SCHEMA_ERROR or INVALID."
    )
    message: str


@strawberry.type(description="One asset a valid manifest listed, and what became of it.")
class ManifestAsset:
    external_id: str = strawberry.field(description="The asset's `id` in the manifest.")
    asset_id: strawberry.ID
    outcome: ManifestAssetOutcome


@strawberry.type(
    name="Manifest",
    description="One submitted version of a manifest, checked against its schema.",
)
class ManifestType(Node):
    project_id: strawberry.ID
    manifest_id: str = strawberry.field(description="Your id for the manifest.")
    version: int = strawberry.field(description="Your version of it.")
    schema_id: strawberry.ID
    schema_name: str
    schema_version: int
    status: ManifestStatus  # type: ignore[valid-type]
    document: JSON | None = strawberry.field(
        metadata=cost_metadata(FieldCost(max_bytes=logic.DOCUMENT_BOUNDS.max_bytes))
    )
    document_sha256: str = strawberry.field(
        description="SHA-256 of the document as canonical JSON (keys sorted)."
    )
    errors: list[ManifestError] = strawberry.field(
        description="The first 100 problems, by pointer; empty for a valid manifest.",
        metadata=cost_metadata(FieldCost(max_items=100, items_per_point=10)),
    )
    error_count: int = strawberry.field(description="All problems found (counted up to 1000).")
    assets: list[ManifestAsset] = strawberry.field(
        description="Assets it created, reused or updated, in document order; empty for an invalid "
        "manifest.",
        metadata=cost_metadata(FieldCost(max_items=logic.MAX_ASSETS, items_per_point=100)),
    )
    created_at: datetime
    row: strawberry.Private[Manifest | None] = None

    @classmethod
    def from_row(cls, row: Manifest) -> ManifestType:
        return cls(
            id=strawberry.ID(row.id),
            project_id=strawberry.ID(row.project_id),
            manifest_id=row.manifest_id,
            version=row.manifest_version,
            schema_id=strawberry.ID(row.schema_id),
            schema_name=row.schema_name,
            schema_version=row.schema_version,
            status=row.status,
            document=cast(JSON, row.document),
            document_sha256=row.document_sha256,
            errors=[ManifestError(**e) for e in row.errors],
            error_count=row.error_count,
            assets=[_asset(a) for a in row.assets],
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    def maybe(cls, row: Manifest | None) -> ManifestType | None:
        return None if row is None else cls.from_row(row)

    @query_field(scope=Scope.PROJECTS_READ, description="The project the manifest is for.")
    async def project(self, info: Info) -> ProjectType | None:
        return ProjectType.maybe(await info.context.loaders.by_id(Project).load(self.project_id))


def _asset(entry: dict[str, Any]) -> ManifestAsset:
    return ManifestAsset(
        external_id=entry["external_id"],
        asset_id=strawberry.ID(entry["asset_id"]),
        outcome=ManifestAssetOutcome(entry["outcome"]),
    )


@strawberry.input
class ManifestSchemaFilter:
    name: str | None = None


@strawberry.input
class ManifestFilter:
    manifest_id: str | None = strawberry.field(default=None, description="Every version of it.")
    status: ManifestStatus | None = None  # type: ignore[valid-type]


@strawberry.input
class CreateManifestSchemaInput:
    name: str = strawberry.field(description="2-64 characters of a-z, 0-9 and -.")
    schema: JSON = strawberry.field(
        description="A JSON Schema, draft 2020-12: at most 64 KB and 32 levels deep; "
        "references only inside it (`#/$defs/...`)."
    )
    version: int | None = strawberry.field(
        default=None, description="Default: one more than the highest version of `name`."
    )
    description: str | None = None


@strawberry.input
class UpdateManifestSchemaInput:
    id: strawberry.ID
    schema: JSON | None = strawberry.UNSET
    description: str | None = strawberry.UNSET


@strawberry.input
class DeleteManifestSchemaInput:
    id: strawberry.ID


@strawberry.input
class SubmitManifestInput:
    project_id: strawberry.ID
    manifest_id: str = strawberry.field(
        description="Your id for the manifest (1-100 of A-Z a-z 0-9 . _ : -), unique in the "
        "organisation; with `version`, the idempotency key."
    )
    version: int = strawberry.field(description="1 or more.")
    document: JSON = strawberry.field(
        description="The manifest: a JSON object, at most 256 KB and 32 levels deep."
    )
    schema: str | None = strawberry.field(
        default=None, description="Name of the schema to check it with; default `content-manifest`."
    )
    schema_version: int | None = strawberry.field(
        default=None, description="Default: the schema's highest version."
    )


@strawberry.type
class ManifestSchemaPayload(MutationPayload):
    manifest_schema: ManifestSchemaType | None = None


@strawberry.type
class DeleteManifestSchemaPayload(MutationPayload):
    deleted_manifest_schema_id: strawberry.ID | None = None


@strawberry.type
class SubmitManifestPayload(MutationPayload):
    manifest: ManifestType | None = None
    unchanged: bool | None = strawberry.field(
        default=None,
        description="True when this manifest id and version had been submitted with this "
        "document before: the stored manifest is returned and nothing changed.",
    )


ManifestSchemaOrderBy = order_by_input(
    "ManifestSchema", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)
ManifestOrderBy = order_by_input("Manifest", CREATED_AT="created_at", UPDATED_AT="updated_at")


@strawberry.type
class ManifestQueries:
    @query_field(
        scope=Scope.CONTENT_READ, description="One manifest schema by id; null if not visible."
    )
    async def manifest_schema(self, info: Info, id: strawberry.ID) -> ManifestSchemaType | None:
        return ManifestSchemaType.maybe(await schema_logic.get_manifest_schema(info.context, id))

    @query_field(
        scope=Scope.CONTENT_READ,
        description="The organisation's manifest schemas and the built-in ones.",
    )
    async def manifest_schemas(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ManifestSchemaFilter | None = None,
        order_by: ManifestSchemaOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[ManifestSchemaType]:
        page = await schema_logic.list_manifest_schemas(
            info.context,
            schema_logic.ManifestSchemaFilter(name=filter.name if filter else None),
            ordering(order_by),
            first,
            after,
        )
        return Connection.from_page(page, ManifestSchemaType.from_row)

    @query_field(
        scope=Scope.CONTENT_READ,
        description="One manifest: by its id (`mft_…`), or by your `manifestId` (its highest "
        "version, or `version`); null if not visible.",
    )
    async def manifest(
        self, info: Info, id: strawberry.ID, version: int | None = None
    ) -> ManifestType | None:
        return ManifestType.maybe(await logic.get_manifest(info.context, id, version))

    @query_field(
        scope=Scope.CONTENT_READ,
        description="Submitted manifests of one project, or of every project the key sees.",
    )
    async def manifests(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: ManifestFilter | None = None,
        order_by: ManifestOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[ManifestType]:
        given = filter or ManifestFilter()
        page = await logic.list_manifests(
            info.context,
            project_id,
            logic.ManifestFilter(manifest_id=given.manifest_id, status=given.status),
            ordering(order_by),
            first,
            after,
        )
        return Connection.from_page(page, ManifestType.from_row)


@strawberry.type
class ManifestMutations:
    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Register a JSON Schema for manifests (checked against the draft 2020-12 "
        "metaschema).",
    )
    async def create_manifest_schema(
        self, info: Info, input: CreateManifestSchemaInput
    ) -> ManifestSchemaPayload:
        schema = await schema_logic.create_manifest_schema(
            info.context,
            {
                "name": input.name,
                "schema_version": input.version,
                "description": input.description,
                "document": input.schema,
            },
        )
        return ManifestSchemaPayload(manifest_schema=ManifestSchemaType.from_row(schema))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Change a manifest schema no manifest has used yet (INVALID_STATE after).",
    )
    async def update_manifest_schema(
        self, info: Info, input: UpdateManifestSchemaInput
    ) -> ManifestSchemaPayload:
        changes: dict[str, Any] = {}
        if input.schema is not strawberry.UNSET:
            changes["document"] = input.schema
        if input.description is not strawberry.UNSET:
            changes["description"] = input.description
        schema = await schema_logic.update_manifest_schema(info.context, input.id, changes)
        return ManifestSchemaPayload(manifest_schema=ManifestSchemaType.from_row(schema))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Delete a manifest schema no manifest has used yet (INVALID_STATE after).",
    )
    async def delete_manifest_schema(
        self, info: Info, input: DeleteManifestSchemaInput
    ) -> DeleteManifestSchemaPayload:
        deleted = await schema_logic.delete_manifest_schema(info.context, input.id)
        return DeleteManifestSchemaPayload(deleted_manifest_schema_id=strawberry.ID(deleted))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Store a manifest version for a project and check it against its schema: "
        "a valid one registers its assets, an invalid one lists every error by JSON Pointer. "
        "The same (`manifestId`, `version`) again with the same document changes nothing; with another "
        "document it is CONFLICT.",
    )
    async def submit_manifest(
        self, info: Info, input: SubmitManifestInput
    ) -> SubmitManifestPayload:
        submission = await logic.submit_manifest(
            info.context,
            {
                "project_id": input.project_id,
                "manifest_id": input.manifest_id,
                "manifest_version": input.version,
                "schema_name": input.schema,
                "schema_version": input.schema_version,
                "document": input.document,
            },
        )
        return SubmitManifestPayload(
            manifest=ManifestType.from_row(submission.manifest), unchanged=submission.unchanged
        )


async def _load_schema(ctx: Any, schema_id: str) -> ManifestSchema | None:
    return await schema_logic.get_manifest_schema(ctx, schema_id)


register_node(
    IdPrefix.MANIFEST_SCHEMA,
    ManifestSchema,
    ManifestSchemaType,
    Scope.CONTENT_READ,
    load=_load_schema,
)
register_node(IdPrefix.MANIFEST, Manifest, ManifestType, Scope.CONTENT_READ)

QUERIES: tuple[type, ...] = (ManifestQueries,)
MUTATIONS: tuple[type, ...] = (ManifestMutations,)
