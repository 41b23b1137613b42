"""Assets in the GraphQL contract: files, their processing status and their review."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import Asset
from app.models import AssetKind as AssetKindValue
from app.models import AssetReviewStatus as AssetReviewStatusValue
from app.models import AssetStatus as AssetStatusValue
from resolvers import assets as logic
from resolvers import projects as project_logic
from schema.connections import Connection, OrderBy, ordering
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node
from schema.projects import ProjectType
from schema.scalars import JSON, BigInt

AssetKind = strawberry.enum(
    AssetKindValue, name="AssetType", description="What kind of file an asset is."
)
AssetStatus = strawberry.enum(
    AssetStatusValue,
    name="AssetStatus",
    description="UPLOADING → PROCESSING → READY | FAILED; UPLOADING → READY | FAILED; "
    "FAILED → PROCESSING. READY is final.",
)
AssetReviewStatus = strawberry.enum(AssetReviewStatusValue, name="AssetReviewStatus")


@strawberry.type(name="Asset", description="A file of a project (image, video, model, …).")
class AssetType(FromRow, Node):
    project_id: strawberry.ID
    name: str
    type: AssetKind  # type: ignore[valid-type]
    mime_type: str = strawberry.field(description="`type/subtype`, lowercase.")
    size_bytes: BigInt | None
    sha256: str | None = strawberry.field(description="64 lowercase hexadecimal characters.")
    url: str | None
    tags: list[str] = strawberry.field(description="Lowercase, distinct, in the order given.")
    metadata: JSON
    status: AssetStatus  # type: ignore[valid-type]
    review_status: AssetReviewStatus  # type: ignore[valid-type]
    review_comment: str | None
    reviewed_at: datetime | None
    reviewed_by: strawberry.ID | None = strawberry.field(
        description="Id of the API key that approved or rejected the asset."
    )
    external_id: str | None = strawberry.field(
        description="The asset's `id` in the content manifests that list it; null for assets "
        "created otherwise."
    )
    version: int = strawberry.field(description="Grows by one with every change.")
    created_at: datetime
    updated_at: datetime

    @query_field(scope=Scope.PROJECTS_READ, description="The project the asset belongs to.")
    async def project(self, info: Info) -> ProjectType | None:
        return ProjectType.maybe(await project_logic.get_project(info.context, self.project_id))


@strawberry.input
class AssetFilter:
    status: AssetStatus | None = None  # type: ignore[valid-type]
    review_status: AssetReviewStatus | None = None  # type: ignore[valid-type]
    type: AssetKind | None = None  # type: ignore[valid-type]
    tag: str | None = strawberry.field(default=None, description="Assets carrying this tag.")
    mime_type: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None

    def to_logic(self) -> logic.AssetFilter:
        return logic.AssetFilter(
            status=self.status,
            review_status=self.review_status,
            type=self.type,
            tag=self.tag,
            mime_type=self.mime_type,
            updated_after=self.updated_after,
            updated_before=self.updated_before,
        )


@strawberry.input
class CreateAssetInput:
    project_id: strawberry.ID
    name: str
    type: AssetKind  # type: ignore[valid-type]
    mime_type: str
    size_bytes: BigInt | None = None
    sha256: str | None = None
    url: str | None = None
    tags: list[str] | None = None
    metadata: JSON | None = None
    status: AssetStatus | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Defaults to UPLOADING; register a finished file as READY."
    )


@strawberry.input
class UpdateAssetInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    type: AssetKind | None = strawberry.UNSET  # type: ignore[valid-type]
    mime_type: str | None = strawberry.UNSET
    size_bytes: BigInt | None = strawberry.UNSET
    sha256: str | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    tags: list[str] | None = strawberry.UNSET
    metadata: JSON | None = strawberry.UNSET
    status: AssetStatus | None = strawberry.UNSET  # type: ignore[valid-type]


@strawberry.input
class DeleteAssetInput:
    id: strawberry.ID


@strawberry.input
class ApproveAssetInput:
    id: strawberry.ID
    comment: str | None = None


@strawberry.input
class RejectAssetInput:
    id: strawberry.ID
    comment: str = strawberry.field(description="Why; required and not blank.")


@strawberry.type
class AssetPayload(MutationPayload):
    asset: AssetType | None = None


@strawberry.type
class DeleteAssetPayload(MutationPayload):
    deleted_asset_id: strawberry.ID | None = None


@strawberry.type
class AssetQueries:
    @query_field(scope=Scope.CONTENT_READ, description="One asset by id; null if not visible.")
    async def asset(self, info: Info, id: strawberry.ID) -> AssetType | None:
        return AssetType.maybe(await logic.get_asset(info.context, id))

    @query_field(
        scope=Scope.CONTENT_READ,
        description="Assets of one project, or of every project the key sees if `projectId` "
        "is omitted.",
    )
    async def assets(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: AssetFilter | None = None,
        order_by: OrderBy | None = None,
    ) -> Connection[AssetType]:
        page = await logic.list_assets(
            info.context,
            project_id,
            (filter or AssetFilter()).to_logic(),
            ordering(order_by),
            first,
            after,
        )
        return Connection.from_page(page, AssetType.from_row)


@strawberry.type
class AssetMutations:
    @mutation_field(scope=Scope.CONTENT_WRITE, description="Register an asset in a project.")
    async def create_asset(self, info: Info, input: CreateAssetInput) -> AssetPayload:
        return AssetPayload(
            asset=AssetType.from_row(await logic.create_asset(info.context, changes_of(input)))
        )

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Change fields of an asset; omitted fields are kept. Pointing a reviewed "
        "asset at another file (url, sha256, sizeBytes, mimeType) resets its review to PENDING.",
    )
    async def update_asset(self, info: Info, input: UpdateAssetInput) -> AssetPayload:
        asset = await logic.update_asset(info.context, input.id, changes_of(input, exclude=("id",)))
        return AssetPayload(asset=AssetType.from_row(asset))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Delete an asset; refused (INVALID_STATE) while a job names it as output.",
    )
    async def delete_asset(self, info: Info, input: DeleteAssetInput) -> DeleteAssetPayload:
        return DeleteAssetPayload(
            deleted_asset_id=strawberry.ID(await logic.delete_asset(info.context, input.id))
        )

    @mutation_field(
        scope=Scope.ASSETS_APPROVE,
        description="Approve a READY asset; approving it again changes nothing.",
    )
    async def approve_asset(self, info: Info, input: ApproveAssetInput) -> AssetPayload:
        asset = await logic.review_asset(
            info.context, input.id, AssetReviewStatusValue.APPROVED, input.comment
        )
        return AssetPayload(asset=AssetType.from_row(asset))

    @mutation_field(
        scope=Scope.ASSETS_APPROVE,
        description="Reject a READY asset with a comment; rejecting it again changes nothing.",
    )
    async def reject_asset(self, info: Info, input: RejectAssetInput) -> AssetPayload:
        asset = await logic.review_asset(
            info.context, input.id, AssetReviewStatusValue.REJECTED, input.comment
        )
        return AssetPayload(asset=AssetType.from_row(asset))


register_node(IdPrefix.ASSET, Asset, AssetType, Scope.CONTENT_READ)

QUERIES: tuple[type, ...] = (AssetQueries,)
MUTATIONS: tuple[type, ...] = (AssetMutations,)
