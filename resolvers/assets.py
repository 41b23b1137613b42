"""Assets: files a project produces or uses, their processing status and their review.

Rules partners rely on:
- ``status`` moves uploading → processing → ready | failed, uploading → ready | failed and
  failed → processing (a retry); ``ready`` is final. Anything else is INVALID_STATE.
- Only ``ready`` assets are reviewed. Approving an approved asset (or rejecting a rejected one)
  changes nothing and emits nothing, so a retried or doubled request is harmless.
- Changing what file the asset points at (url, sha256, size, MIME type) sends a reviewed asset
  back to ``pending``: an approval is of one file, not of whatever the row points at later.
- An asset that a job names as its output cannot be deleted (the job would lose its result);
  delete or re-point the job first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import exists, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.sql import ColumnElement, func
from sqlmodel import col

from app.clock import utcnow
from app.models import (
    Asset,
    AssetKind,
    AssetReviewStatus,
    AssetStatus,
    Job,
    Project,
    ProjectStatus,
)
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import Checker, InputErrorCode, invalid_state
from resolvers.writes import apply_changes, load_for_update

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


async def create_asset(ctx: Context, values: Mapping[str, Any]) -> Asset:
    values = _normalized(values)
    check = Checker()
    _check(check, values, creating=True)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        project = await load_for_update(
            uow, Project, values["project_id"], path=("input", "projectId"), what="Project"
        )
        if project.status == ProjectStatus.ARCHIVED:
            raise invalid_state(
                ("input", "projectId"), "The project is archived; it takes no new assets."
            )
        asset = Asset(org_id=ctx.org_id, **{k: v for k, v in values.items() if v is not None})
        uow.add(asset)
        uow.emit(asset, "created")
    return asset


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
    async with unit_of_work(ctx) as uow:
        asset = await load_for_update(uow, Asset, asset_id, what="Asset")
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
    return asset


async def delete_asset(ctx: Context, asset_id: str) -> str:
    async with unit_of_work(ctx) as uow:
        asset = await load_for_update(uow, Asset, asset_id, what="Asset")
        used = select(col(Job.id)).where(col(Job.output_asset_id) == asset.id).limit(1)
        if (await uow.session.execute(used)).first() is not None:
            raise invalid_state(
                ("input", "id"), "A job names this asset as its output; it cannot be deleted."
            )
        await uow.delete(asset)
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
        asset.reviewed_by = ctx.principal.key_id
        uow.changed(asset, decision.value)
    return asset
