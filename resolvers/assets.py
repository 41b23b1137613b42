"""Assets: files a project produces or uses, their processing status and their review.

Rules partners rely on:
- ``status`` moves uploading → processing → ready | failed, uploading → ready | failed and
  failed → processing (a retry); ``ready`` is final. Anything else is INVALID_STATE.
- Only ``ready`` assets are reviewed. Approving an approved asset (or rejecting a rejected one)
  changes nothing and emits nothing, so a retried or doubled request is harmless.
- Changing what file the asset points at (url, sha256, size, MIME type) sends a reviewed asset
  back to ``pending``: an approval is of one file, not of whatever the row points at later.
- An asset that a job names as its output cannot be deleted (the job would lose its result);
  delete or re-point the job first. Deleting hides the asset at once; its stored file is
  removed later by a worker (``app.storage.removal``).
- A render farm's key (``jobs:execute`` without ``content:write``) registers assets only as the
  output of a running job it claimed (``jobId``), in that job's project.
- Uploads: ``createAsset`` with ``sizeBytes`` and no ``url`` reserves the bytes against the
  organisation's storage quota and returns a presigned upload URL; ``completeAssetUpload``
  checks the stored object and moves the asset to ``processing``; a worker then verifies the
  bytes, reads the media metadata and makes it ``ready`` or ``failed``
  (``app.media.processing``). The status and file of an uploaded asset follow its upload: they
  are not edited by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import exists, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql import ColumnElement, func
from sqlmodel import col

from app.auth.scopes import Scope
from app.automations.triggers import queue_asset_ready
from app.clock import utcnow
from app.errors import ApiError, ErrorCode, FieldError
from app.events.bus import MEDIA, RUNS
from app.models import (
    Asset,
    AssetKind,
    AssetReviewStatus,
    AssetStatus,
    Job,
    Organization,
    Project,
    ProjectStatus,
)
from app.storage import ObjectStorage, UploadTarget
from resolvers.context import Context
from resolvers.jobs import running_job_of_caller
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, InputErrors, invalid_state, not_found
from resolvers.writes import apply_changes, load_for_update, load_visible

MAX_SIZE_BYTES = 5 * 1024**4
MAX_TAGS = 50
MAX_COMMENT = 5000

MIME_RE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
TAG_RE = re.compile(r"[a-z0-9_:-]+")

TRANSITIONS: dict[AssetStatus, frozenset[AssetStatus]] = {
    AssetStatus.UPLOADING: frozenset(
        {AssetStatus.PROCESSING, AssetStatus.READY, AssetStatus.FAILED}
    ),
    AssetStatus.PROCESSING: frozenset({AssetStatus.READY, AssetStatus.FAILED}),
    AssetStatus.FAILED: frozenset({AssetStatus.PROCESSING}),
    AssetStatus.READY: frozenset(),
}

FILE_FIELDS = ("url", "sha256", "size_bytes", "mime_type")
"""Fields that say which file the asset is; changing one voids its review."""

EMPTY: dict[str, type[Any]] = {"meta": dict, "tags": list}
"""Null clears these to empty rather than storing null."""

UPLOAD_OWNED = {
    "status": "status",
    "url": "url",
    "sha256": "sha256",
    "size_bytes": "sizeBytes",
    "mime_type": "mimeType",
}
"""Fields of an uploaded asset that only its upload sets (GraphQL names for errors)."""

NOT_NULL_ON_UPDATE = {"name": "name", "type": "type", "mime_type": "mimeType", "status": "status"}


@dataclass(frozen=True, slots=True)
class AssetFilter:
    status: AssetStatus | None = None
    review_status: AssetReviewStatus | None = None
    type: AssetKind | None = None
    tag: str | None = None
    mime_type: str | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None


async def get_asset(ctx: Context, asset_id: str) -> Asset | None:
    asset: Asset | None = await ctx.loaders.by_id(Asset).load(asset_id)
    return asset


def _has_tag(ctx: Context, tag: str) -> ColumnElement[bool]:
    """JSON-array membership: ``@>`` on PostgreSQL's JSONB, ``json_each`` on SQLite."""
    if ctx.db.is_postgres:
        return type_coerce(Asset.tags, JSONB).contains([tag])
    values = func.json_each(Asset.tags).table_valued("value")
    return exists(select(literal_column("1")).select_from(values).where(values.c.value == tag))


async def list_assets(
    ctx: Context,
    project_id: str | None,
    filter: AssetFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Asset]:
    stmt = select(Asset).where(*visibility(ctx, Asset))
    if project_id is not None:
        stmt = stmt.where(col(Asset.project_id) == project_id)
    if filter.status is not None:
        stmt = stmt.where(col(Asset.status) == filter.status)
    if filter.review_status is not None:
        stmt = stmt.where(col(Asset.review_status) == filter.review_status)
    if filter.type is not None:
        stmt = stmt.where(col(Asset.type) == filter.type)
    if filter.tag is not None:
        stmt = stmt.where(_has_tag(ctx, filter.tag.lower()))
    if filter.mime_type is not None:
        stmt = stmt.where(col(Asset.mime_type) == filter.mime_type.lower())
    if filter.updated_after is not None:
        stmt = stmt.where(col(Asset.updated_at) > filter.updated_after)
    if filter.updated_before is not None:
        stmt = stmt.where(col(Asset.updated_at) < filter.updated_before)
    return await paginate(ctx.db, stmt, Asset, ordering, first, after)


def _normalized(values: Mapping[str, Any]) -> dict[str, Any]:
    """MIME types are case-insensitive and tags are a set: store one spelling of each."""
    out = dict(values)
    if isinstance(out.get("mime_type"), str):
        out["mime_type"] = out["mime_type"].lower()
    if out.get("tags") is not None:
        out["tags"] = list(dict.fromkeys(tag.lower() for tag in out["tags"]))
    return out


def _is_web_url(value: str) -> bool:
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_tags(check: Checker, tags: list[str] | None) -> None:
    if tags is None:
        return
    if len(tags) > MAX_TAGS:
        check.add("tags", InputErrorCode.TOO_LONG, f"At most {MAX_TAGS} distinct tags.")
    for index, tag in enumerate(tags):
        path = ("tags", str(index))
        if not tag:
            check.add(path, InputErrorCode.TOO_SHORT, "A tag must not be empty.")
        elif len(tag) > 64:
            check.add(path, InputErrorCode.TOO_LONG, "A tag is at most 64 characters.")
        elif not TAG_RE.fullmatch(tag):
            check.add(path, InputErrorCode.INVALID, "A tag holds only a-z, 0-9, -, _ and :.")


def _check(check: Checker, values: Mapping[str, Any], *, creating: bool) -> None:
    check.text("name", values.get("name"), max_length=200, required=creating)
    check.text(
        "mimeType",
        values.get("mime_type"),
        max_length=127,
        required=creating,
        pattern=MIME_RE,
        hint="must look like `type/subtype`, e.g. `image/png`",
    )
    size = values.get("size_bytes")
    if size is not None and not 0 <= size <= MAX_SIZE_BYTES:
        check.add(
            "sizeBytes", InputErrorCode.OUT_OF_RANGE, f"Between 0 and {MAX_SIZE_BYTES} bytes."
        )
    check.text(
        "sha256",
        values.get("sha256"),
        max_length=64,
        pattern=SHA256_RE,
        hint="must be 64 lowercase hexadecimal characters",
    )
    url = values.get("url")
    check.text("url", url, max_length=2048)
    if url is not None and len(url) <= 2048 and not _is_web_url(url):
        check.add("url", InputErrorCode.INVALID, "`url` must be an absolute http(s) URL.")
    _check_tags(check, values.get("tags"))
    check.json_object("metadata", values.get("meta"))


def _storage(ctx: Context) -> ObjectStorage:
    if ctx.storage is None:
        raise ApiError(ErrorCode.INTERNAL, "Object storage is not configured in this process.")
    return ctx.storage


def is_upload(values: Mapping[str, Any]) -> bool:
    """A new asset whose file is uploaded to our storage: a size, no external ``url``, and not
    registered as already finished."""
    status = values.get("status")
    return (
        values.get("size_bytes") is not None
        and values.get("url") is None
        and status in (None, AssetStatus.UPLOADING)
    )


def _mime_allowed(mime_type: str, allowed: list[str]) -> bool:
    major = mime_type.split("/", 1)[0]
    return mime_type in allowed or f"{major}/*" in allowed


async def _reserve(uow: UnitOfWork, size: int) -> None:
    """Refuse the upload if it would take the organisation past its storage quota. The
    organisation row is locked so concurrent uploads cannot pass the check together."""
    ctx = uow.ctx
    org = await uow.session.get(Organization, ctx.org_id, with_for_update=ctx.db.is_postgres)
    quota = ctx.settings.storage_quota_bytes
    if org is not None and org.storage_quota_bytes is not None:
        quota = org.storage_quota_bytes
    used = (
        await uow.session.execute(
            select(func.coalesce(func.sum(Asset.size_bytes), 0)).where(
                col(Asset.org_id) == ctx.org_id,
                col(Asset.storage_key).is_not(None),
                col(Asset.deleted_at).is_(None),
                col(Asset.object_removed_at).is_(None),
            )
        )
    ).scalar_one()
    used = int(used or 0)
    if used + size > quota:
        raise InputErrors(
            [
                FieldError(
                    ("input", "sizeBytes"),
                    InputErrorCode.QUOTA_EXCEEDED.value,
                    f"The organisation stores {used} of its {quota} bytes; this file "
                    "does not fit. Delete assets or ask for a larger quota.",
                )
            ]
        )


def _check_may_create(ctx: Context, job_id: str | None) -> bool:
    """``content:write`` registers any asset; a render farm's ``jobs:execute`` key only the
    output of a job it claimed (``jobId``). Returns whether the caller acts as that farm."""
    if ctx.principal.has(Scope.CONTENT_WRITE):
        return False
    if ctx.principal.has(Scope.JOBS_EXECUTE) and job_id is not None:
        return True
    raise ApiError(
        ErrorCode.UNAUTHORIZED_SCOPE,
        "This API key lacks the `content:write` scope (a `jobs:execute` key registers the "
        "outputs of jobs it claimed, naming the job in `jobId`).",
    )


async def create_asset(
    ctx: Context, values: Mapping[str, Any]
) -> tuple[Asset, UploadTarget | None]:
    """The new asset, and where to upload its file when it is an upload."""
    values = _normalized(values)
    uploading = is_upload(values)
    job_id = values.get("job_id")
    as_farm = _check_may_create(ctx, job_id)
    check = Checker()
    _check(check, values, creating=True)
    mime = values.get("mime_type")
    if (
        uploading
        and isinstance(mime, str)
        and not _mime_allowed(mime, ctx.settings.upload_mime_types)
    ):
        check.add(
            "mimeType",
            InputErrorCode.INVALID,
            f"`{mime}` is not a media type this server accepts for uploads "
            f"({', '.join(ctx.settings.upload_mime_types)}).",
        )
    check.raise_if_any()
    storage = _storage(ctx) if uploading else None
    runs = False
    async with unit_of_work(ctx) as uow:
        project = await load_for_update(
            uow, Project, values["project_id"], path=("input", "projectId"), what="Project"
        )
        if project.status == ProjectStatus.ARCHIVED:
            raise invalid_state(
                ("input", "projectId"), "The project is archived; it takes no new assets."
            )
        if job_id is not None:
            path = ("input", "jobId")
            if as_farm:
                job = await running_job_of_caller(uow, job_id, path)
            else:
                job = await load_visible(uow, Job, job_id, path=path, what="Job")
            if job.project_id != project.id:
                raise not_found(path, "Job")
        asset = Asset(org_id=ctx.org_id, **{k: v for k, v in values.items() if v is not None})
        if uploading:
            await _reserve(uow, int(values["size_bytes"]))
            asset.storage_key = f"{ctx.org_id}/{asset.id}/original"
            asset.upload_expires_at = utcnow() + timedelta(seconds=ctx.settings.upload_url_seconds)
        uow.add(asset)
        uow.emit(asset, "created")
        if asset.status is AssetStatus.READY:
            runs = bool(await queue_asset_ready(uow.session, asset))
    if runs:
        ctx.db.committed(RUNS)
    if storage is None or asset.storage_key is None or asset.upload_expires_at is None:
        return asset, None
    target = await storage.upload_target(
        asset.storage_key,
        size=int(values["size_bytes"]),
        sha256=asset.sha256,
        content_type=asset.mime_type,
        expires_at=asset.upload_expires_at,
    )
    return asset, target


async def complete_upload(ctx: Context, asset_id: str) -> Asset:
    """Check the uploaded object (present, the declared size, the declared checksum when the
    provider reports one) and hand the asset to the media workers."""
    storage = _storage(ctx)
    path = ("input", "id")
    current = await get_asset(ctx, asset_id)
    if current is None:
        raise not_found(path, "Asset")
    if current.storage_key is None:
        raise invalid_state(path, "This asset was registered with a URL; it has no upload.")
    stored = await storage.stat(current.storage_key)
    async with unit_of_work(ctx) as uow:
        asset = await load_for_update(uow, Asset, asset_id, what="Asset")
        if asset.status is not AssetStatus.UPLOADING:
            if asset.status is AssetStatus.PROCESSING:
                return asset
            raise invalid_state(
                path, f"The upload is already complete; the asset is `{asset.status}`."
            )
        expired = asset.upload_expires_at is not None and asset.upload_expires_at < utcnow()
        if stored is None:
            hint = (
                "The upload URL has expired; create the asset again."
                if expired
                else "PUT the file to the upload URL first."
            )
            raise invalid_state(path, f"Nothing was uploaded for this asset. {hint}")
        if asset.size_bytes is not None and stored.size != asset.size_bytes:
            raise invalid_state(
                path,
                f"The uploaded file has {stored.size} bytes; the asset declared "
                f"{asset.size_bytes}. Upload the right file again.",
            )
        if asset.sha256 and stored.sha256 and stored.sha256 != asset.sha256:
            raise invalid_state(path, "The uploaded file's SHA-256 is not the declared checksum.")
        asset.status = AssetStatus.PROCESSING
        asset.upload_expires_at = None
        uow.changed(asset, "processing")
    ctx.db.committed(MEDIA)
    return asset


async def original_url(ctx: Context, asset: Asset) -> tuple[str | None, datetime | None]:
    """A short-lived signed URL of the stored file (once uploaded), or the registered ``url``."""
    if asset.storage_key is None:
        return asset.url, None
    if asset.status is AssetStatus.UPLOADING or ctx.storage is None:
        return None, None
    expires_at = utcnow() + timedelta(seconds=ctx.settings.download_url_seconds)
    url = await ctx.storage.download_url(asset.storage_key, expires_at=expires_at)
    return url, expires_at


def clear_review(asset: Asset) -> None:
    asset.review_status = AssetReviewStatus.PENDING
    asset.review_comment = None
    asset.reviewed_at = None
    asset.reviewed_by = None


async def update_asset(ctx: Context, asset_id: str, values: Mapping[str, Any]) -> Asset:
    values = _normalized(values)
    check = Checker()
    _check(check, values, creating=False)
    for attribute, field in NOT_NULL_ON_UPDATE.items():
        if attribute in values and values[attribute] is None:
            check.add(field, InputErrorCode.REQUIRED, f"`{field}` cannot be null.")
    check.raise_if_any()
    runs = False
    async with unit_of_work(ctx) as uow:
        asset = await load_for_update(uow, Asset, asset_id, what="Asset")
        if asset.storage_key is not None:
            owned = [k for k in UPLOAD_OWNED if k in values and values[k] != getattr(asset, k)]
            if owned:
                raise invalid_state(
                    ("input", UPLOAD_OWNED[owned[0]]),
                    "The status and file of an uploaded asset follow its upload; they cannot be "
                    "set by hand.",
                )
        before = asset.status
        status = values.get("status")
        if (
            status is not None
            and status != asset.status
            and status not in TRANSITIONS[asset.status]
        ):
            raise invalid_state(
                ("input", "status"), f"An asset cannot go from `{asset.status}` to `{status}`."
            )
        changes = {k: EMPTY[k]() if v is None and k in EMPTY else v for k, v in values.items()}
        new_file = any(k in FILE_FIELDS and getattr(asset, k) != v for k, v in changes.items())
        if apply_changes(asset, changes):
            if new_file and asset.review_status != AssetReviewStatus.PENDING:
                clear_review(asset)
            uow.changed(asset)
            if asset.status is AssetStatus.READY and before is not AssetStatus.READY:
                runs = bool(await queue_asset_ready(uow.session, asset))
    if runs:
        ctx.db.committed(RUNS)
    return asset


async def delete_asset(ctx: Context, asset_id: str) -> str:
    async with unit_of_work(ctx) as uow:
        asset = await load_for_update(uow, Asset, asset_id, what="Asset")
        used = select(col(Job.id)).where(col(Job.output_asset_id) == asset.id).limit(1)
        if (await uow.session.execute(used)).first() is not None:
            raise invalid_state(
                ("input", "id"), "A job names this asset as its output; it cannot be deleted."
            )
        asset.deleted_at = utcnow()
        uow.changed(asset, "deleted")
    return asset.id


async def review_asset(
    ctx: Context, asset_id: str, decision: AssetReviewStatus, comment: str | None
) -> Asset:
    """Approve or reject; the decision, who made it and when are kept on the asset."""
    check = Checker()
    check.text(
        "comment",
        comment,
        max_length=MAX_COMMENT,
        required=decision is AssetReviewStatus.REJECTED,
    )
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        asset = await load_for_update(uow, Asset, asset_id, what="Asset")
        if asset.review_status == decision:
            return asset
        if asset.status != AssetStatus.READY:
            raise invalid_state(
                ("input", "id"),
                f"Only `ready` assets can be reviewed; this one is `{asset.status}`.",
            )
        asset.review_status = decision
        asset.review_comment = comment.strip() if comment and comment.strip() else None
        asset.reviewed_at = utcnow()
        asset.reviewed_by = ctx.principal.credential_id
        uow.changed(asset, decision.value)
    return asset
