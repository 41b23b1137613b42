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
from schema.connections import Connection, order_by_input, ordering
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
    "FAILED → PROCESSING. READY is final. Uploads move by themselves: `completeAssetUpload`, "
    "then the media worker.",
)
AssetReviewStatus = strawberry.enum(AssetReviewStatusValue, name="AssetReviewStatus")


@strawberry.type(description="What ffprobe read from an uploaded video, audio or image file.")
class AssetMedia:
    width: int | None = strawberry.field(description="Pixels; null without a video stream.")
    height: int | None
    duration_seconds: float | None
    codec: str | None = strawberry.field(description="Of the video stream, else the audio one.")
    fps: float | None = strawberry.field(description="Average frames per second.")
    audio_codec: str | None
    format: str | None = strawberry.field(description="Container format, as ffprobe names it.")


@strawberry.type(description="Where to fetch the asset's file.")
class AssetUrls:
    original: str | None = strawberry.field(
        description="A signed GET URL of the uploaded file, valid until `expiresAt` (fetch a "
        "new one after); the registered `url` for external files; null while uploading."
    )
    expires_at: datetime | None


@strawberry.type(
    description="How to upload an asset's file: send `method` to `url` with "
    "exactly `headers` and the file as the body, before `expiresAt`."
)
class AssetUpload:
    url: str
    method: str
    headers: JSON = strawberry.field(description="Header names and values to send as given.")
    expires_at: datetime


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
    metadata: JSON | None
    status: AssetStatus  # type: ignore[valid-type]
    review_status: AssetReviewStatus  # type: ignore[valid-type]
    review_comment: str | None
    reviewed_at: datetime | None
    reviewed_by: strawberry.ID | None = strawberry.field(
        description="Id of the API key that approved or rejected the asset."
    )
    job_id: strawberry.ID | None = strawberry.field(
        description="The job whose output this is, when registered with `jobId`."
    )
    failure_reason: str | None = strawberry.field(
        description="Why processing failed (`FAILED` uploads): checksum, unreadable media, …"
    )
    upload_expires_at: datetime | None = strawberry.field(
        description="Until then the upload URL accepts the file (`UPLOADING` uploads)."
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

    @query_field(
        scope=Scope.CONTENT_READ,
        description="Width, height, duration, codec and fps of an uploaded media file, read "
        "once it is processed; null before, and for other files.",
    )
    async def media(self, info: Info) -> AssetMedia | None:
        media = self.row.media
        if not media:
            return None
        return AssetMedia(**{f: media.get(f) for f in AssetMedia.__annotations__})

    @query_field(
        scope=Scope.CONTENT_READ,
        description="URLs of the file; `original` of an upload is signed and short-lived.",
    )
    async def urls(self, info: Info) -> AssetUrls | None:
        original, expires_at = await logic.original_url(info.context, self.row)
        return AssetUrls(original=original, expires_at=expires_at)


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
        default=None, description="Defaults to `UPLOADING`; register a finished file as `READY`."
    )
    job_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The job this asset is the output of: a job of the same project. A key "
        "with `jobs:execute` but not `content:write` may register an asset only with the id of "
        "a running job it claimed. Also tells automations where the file came from, so an "
        "`ASSET_READY` automation is not started by what its own runs rendered.",
    )


@strawberry.input
class CompleteAssetUploadInput:
    id: strawberry.ID


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
class CreateAssetPayload(MutationPayload):
    asset: AssetType | None = None
    upload: AssetUpload | None = strawberry.field(
        default=None,
        description="Where to upload the file, when the asset is an upload (`sizeBytes` "
        "given, no `url`); null otherwise.",
    )


@strawberry.type
class DeleteAssetPayload(MutationPayload):
    deleted_asset_id: strawberry.ID | None = None


AssetOrderBy = order_by_input(
    "Asset", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)


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
        order_by: AssetOrderBy | None = None,  # type: ignore[valid-type]
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
    @mutation_field(
        scope=None,
        scope_checked_by="resolvers.assets.create_asset: `content:write`, or `jobs:execute` "
        "with the `jobId` of a job the key claimed",
        description="Create an asset (needs `content:write`; a render farm's `jobs:execute` key "
        "registers the outputs of the jobs it claimed, with `jobId`). With `sizeBytes` (and `sha256`, recommended) and no `url`, "
        "it is an upload: the size counts against the organisation's storage quota "
        "(QUOTA_EXCEEDED), `mimeType` must be an accepted media type, and `upload` says where "
        "to PUT the file; then call `completeAssetUpload`. With a `url` it registers a file "
        "stored elsewhere.",
    )
    async def create_asset(self, info: Info, input: CreateAssetInput) -> CreateAssetPayload:
        asset, target = await logic.create_asset(info.context, changes_of(input))
        upload = None
        if target is not None:
            upload = AssetUpload(
                url=target.url,
                method=target.method,
                headers=dict(target.headers),  # type: ignore[arg-type]
                expires_at=target.expires_at,
            )
        return CreateAssetPayload(asset=AssetType.from_row(asset), upload=upload)

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Tell the server the file was uploaded: its size (and checksum, where the "
        "storage reports one) is checked (INVALID_STATE if wrong or missing), the asset moves "
        "to `PROCESSING`, and a worker verifies the bytes and reads the media metadata, then "
        "`READY` or `FAILED` (`failureReason`). Completing again while `PROCESSING` changes "
        "nothing.",
    )
    async def complete_asset_upload(
        self, info: Info, input: CompleteAssetUploadInput
    ) -> AssetPayload:
        return AssetPayload(
            asset=AssetType.from_row(await logic.complete_upload(info.context, input.id))
        )

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Change fields of an asset; omitted fields are kept. Pointing a reviewed "
        "asset at another file (`url`, `sha256`, `sizeBytes`, `mimeType`) resets its review to `PENDING`.",
    )
    async def update_asset(self, info: Info, input: UpdateAssetInput) -> AssetPayload:
        asset = await logic.update_asset(info.context, input.id, changes_of(input, exclude=("id",)))
        return AssetPayload(asset=AssetType.from_row(asset))

    @mutation_field(
        scope=Scope.CONTENT_WRITE,
        description="Delete an asset: it disappears at once, and its stored file is removed "
        "later. Refused (INVALID_STATE) while a job names it as output.",
    )
    async def delete_asset(self, info: Info, input: DeleteAssetInput) -> DeleteAssetPayload:
        return DeleteAssetPayload(
            deleted_asset_id=strawberry.ID(await logic.delete_asset(info.context, input.id))
        )

    @mutation_field(
        scope=Scope.ASSETS_APPROVE,
        description="Approve a `READY` asset; approving it again changes nothing.",
    )
    async def approve_asset(self, info: Info, input: ApproveAssetInput) -> AssetPayload:
        asset = await logic.review_asset(
            info.context, input.id, AssetReviewStatusValue.APPROVED, input.comment
        )
        return AssetPayload(asset=AssetType.from_row(asset))

    @mutation_field(
        scope=Scope.ASSETS_APPROVE,
        description="Reject a `READY` asset with a comment; rejecting it again changes nothing.",
    )
    async def reject_asset(self, info: Info, input: RejectAssetInput) -> AssetPayload:
        asset = await logic.review_asset(
            info.context, input.id, AssetReviewStatusValue.REJECTED, input.comment
        )
        return AssetPayload(asset=AssetType.from_row(asset))


register_node(IdPrefix.ASSET, Asset, AssetType, Scope.CONTENT_READ)

QUERIES: tuple[type, ...] = (AssetQueries,)
MUTATIONS: tuple[type, ...] = (AssetMutations,)
