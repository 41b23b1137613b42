"""Manifests: versioned documents listing the assets a project needs, checked against a schema.

Rules partners rely on:
- A submission is stored whether it is valid or not, with ``status`` VALID or INVALID and every
  problem as ``{pointer, code, message}`` (a JSON Pointer into the document).
- (``manifestId``, ``version``) is the idempotency key: the same document again returns the
  stored manifest and changes nothing (``unchanged``); another document, schema or project
  under the same pair is CONFLICT. A manifest id stays in the project it was first sent to.
- A valid manifest's top-level ``assets`` become the project's assets: matched first by their
  ``id`` (the asset's ``externalId``: changed fields are updated), then by ``sha256`` (the same
  file listed again, under any id, is reused), else created READY. The manifest records which
  it created, reused or updated. Whatever the schema, ``assets`` items are read in the
  built-in ``content-manifest`` asset shape, and are checked against it.
- Each submission that stores something emits ``manifest.validated`` or ``manifest.rejected``
  with a summary (never the document itself).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import false, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from app.clock import utcnow
from app.errors import ApiError, ErrorCode
from app.ids import IdPrefix, prefix_of
from app.json_bounds import JsonBounds
from app.manifests.builtin import CONTENT_MANIFEST, is_builtin
from app.manifests.checking import Problem, Report, validate
from app.manifests.sandbox import SANDBOX
from app.models import (
    Asset,
    AssetKind,
    AssetReviewStatus,
    AssetStatus,
    Manifest,
    ManifestSchema,
    ManifestStatus,
    Project,
    ProjectStatus,
)
from resolvers.assets import FILE_FIELDS, clear_review
from resolvers.context import Context
from resolvers.manifest_schemas import NAME_RE as SCHEMA_NAME_RE
from resolvers.manifest_schemas import find_schema
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, invalid_state, not_found
from resolvers.writes import apply_changes, load_for_update

MANIFEST_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
"""No ``/``: the id is a path segment of ``GET /v1/content/manifests/{id}``."""
MAX_VERSION = 2**31 - 1
DOCUMENT_BOUNDS = JsonBounds(max_bytes=262_144, max_depth=32, max_values=262_144)
"""Bounded by size and depth alone: a thousand assets hold far more than the default count."""
MAX_ASSETS = 1000
DEFAULT_SCHEMA = "content-manifest"
DEFAULT_MIME_TYPE = "application/octet-stream"

ASSET_SHAPE: dict[str, Any] = {
    "$schema": CONTENT_MANIFEST["$schema"],
    "type": "array",
    "maxItems": MAX_ASSETS,
    "items": CONTENT_MANIFEST["$defs"]["asset"],
}
"""What ``/assets`` must look like, whatever the manifest's own schema says."""
ASSET_SHAPE_KEY = ("content-manifest/assets", 1)


@dataclass(frozen=True, slots=True)
class ManifestFilter:
    manifest_id: str | None = None
    status: ManifestStatus | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    manifest: Manifest
    unchanged: bool
    """True when this exact submission was stored before: nothing changed."""


async def get_manifest(ctx: Context, key: str, version: int | None) -> Manifest | None:
    """By our id (``mft_…``), or by the caller's ``manifestId`` (its highest version unless
    ``version`` is given)."""
    if not MANIFEST_ID_RE.fullmatch(key):
        return None
    if prefix_of(key) is IdPrefix.MANIFEST:
        row: Manifest | None = await ctx.loaders.by_id(Manifest).load(key)
        if row is not None and version is not None and row.manifest_version != version:
            return None
        return row
    stmt = select(Manifest).where(*visibility(ctx, Manifest), col(Manifest.manifest_id) == key)
    if version is not None:
        stmt = stmt.where(col(Manifest.manifest_version) == version)
    stmt = stmt.order_by(col(Manifest.manifest_version).desc()).limit(1)
    async with ctx.db.reading() as session:
        found: Manifest | None = (await session.execute(stmt)).scalars().first()
    return found


async def list_manifests(
    ctx: Context,
    project_id: str | None,
    filter: ManifestFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Manifest]:
    stmt = select(Manifest).where(*visibility(ctx, Manifest))
    if project_id is not None:
        stmt = stmt.where(col(Manifest.project_id) == project_id)
    if filter.manifest_id is not None:
        matchable = MANIFEST_ID_RE.fullmatch(filter.manifest_id) is not None
        stmt = stmt.where(col(Manifest.manifest_id) == filter.manifest_id if matchable else false())
    if filter.status is not None:
        stmt = stmt.where(col(Manifest.status) == filter.status)
    return await paginate(ctx.db, stmt, Manifest, ordering, first, after)


def document_sha256(document: Any) -> str:
    """Of the canonical JSON (sorted keys): the same document sent with its keys in another
    order is the same submission."""
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _check_input(values: Mapping[str, Any]) -> None:
    check = Checker()
    manifest_id = values.get("manifest_id")
    check.text(
        "manifestId",
        manifest_id,
        max_length=100,
        required=True,
        pattern=MANIFEST_ID_RE,
        hint="must be 1-100 characters of A-Z, a-z, 0-9 and . _ : -, starting with a letter "
        "or digit",
    )
    if isinstance(manifest_id, str) and prefix_of(manifest_id) is not None:
        check.add("manifestId", InputErrorCode.INVALID, "`manifestId` must not look like our ids.")
    check.int_range("version", values.get("manifest_version"), low=1, high=MAX_VERSION)
    check.text(
        "schema",
        values.get("schema_name"),
        max_length=64,
        pattern=SCHEMA_NAME_RE,
        hint="must be a manifest schema's name",
    )
    check.int_range("schemaVersion", values.get("schema_version"), low=1, high=MAX_VERSION)
    document = values.get("document")
    if not isinstance(document, dict):
        check.add("document", InputErrorCode.INVALID, "`document` must be a JSON object.")
    else:
        check.json_value("document", document, bounds=DOCUMENT_BOUNDS)
    check.raise_if_any()


async def submit_manifest(ctx: Context, values: Mapping[str, Any]) -> Submission:
    _check_input(values)
    document: dict[str, Any] = values["document"]
    digest = document_sha256(document)
    manifest_id: str = values["manifest_id"]
    version: int = values["manifest_version"]
    schema_name: str = values.get("schema_name") or DEFAULT_SCHEMA
    if await ctx.loaders.by_id(Project).load(values["project_id"]) is None:
        raise not_found(("input", "projectId"), "Project")
    async with ctx.db.reading() as session:
        schema = await find_schema(ctx, session, schema_name, values.get("schema_version"))
        replay = await _stored(ctx, session, manifest_id, version, values["project_id"])
    if schema is None:
        wanted = values.get("schema_version")
        which = f"`{schema_name}` version {wanted}" if wanted else f"`{schema_name}`"
        raise not_found(("input", "schema"), f"Manifest schema {which}")
    if replay is not None:
        return _replayed(replay, digest, schema.id)
    # Checked before the transaction: a slow schema must not hold the project's lock (or, on
    # SQLite, the database's one write lock) while it runs.
    report = await _checked(ctx, document, schema)
    try:
        async with unit_of_work(ctx) as uow:
            project = await load_for_update(
                uow, Project, values["project_id"], path=("input", "projectId"), what="Project"
            )
            if project.status == ProjectStatus.ARCHIVED:
                raise invalid_state(
                    ("input", "projectId"), "The project is archived; it takes no manifests."
                )
            frozen = await _freeze(uow, schema)
            if frozen.version != schema.version:
                # Changed between the check and its first use: check against what is kept.
                schema, report = frozen, await _checked(ctx, document, frozen)
            stored = await _stored(ctx, uow.session, manifest_id, version, project.id)
            if stored is not None:
                return _replayed(stored, digest, schema.id)
            manifest = Manifest(
                org_id=ctx.org_id,
                project_id=project.id,
                manifest_id=manifest_id,
                manifest_version=version,
                schema_id=schema.id,
                schema_name=schema.name,
                schema_version=schema.schema_version,
                status=ManifestStatus.VALID,
                document=document,
                document_sha256=digest,
            )
            if report.valid:
                report = _check_assets(document)
            if report.valid:
                manifest.assets = await _register_assets(uow, project.id, document)
            else:
                manifest.status = ManifestStatus.INVALID
                manifest.errors = [p.to_json() for p in report.problems]
                manifest.error_count = report.count
            uow.add(manifest)
            verb = "validated" if report.valid else "rejected"
            uow.emit(manifest, verb, data=summary(manifest))
            await uow.session.flush()
    except IntegrityError:
        # Another request stored the same manifest id at the same moment (another project's
        # lock does not stop it); the unique key caught it.
        raise _conflict(
            f"Manifest `{manifest_id}` version {version} was submitted concurrently; "
            "fetch it, or submit a new version."
        ) from None
    return Submission(manifest, unchanged=False)


def _replayed(stored: Manifest, digest: str, schema_id: str) -> Submission:
    if (stored.document_sha256, stored.schema_id) != (digest, schema_id):
        raise _conflict(
            f"Manifest `{stored.manifest_id}` version {stored.manifest_version} was already "
            "submitted with another document or schema; submit a new version."
        )
    return Submission(stored, unchanged=True)


async def _checked(ctx: Context, document: Any, schema: ManifestSchema) -> Report:
    """Built-in schemas are ours and run here; registered ones run in the sandbox."""
    key = (schema.id, schema.version)
    if is_builtin(schema):
        return validate(document, schema.document, cache_key=key)
    return await SANDBOX.validate(
        document, schema.document, cache_key=key, seconds=ctx.settings.manifest_check_seconds
    )


def _conflict(message: str) -> ApiError:
    return ApiError(ErrorCode.CONFLICT, message)


async def _freeze(uow: UnitOfWork, schema: ManifestSchema) -> ManifestSchema:
    """The schema as it is kept for good: its first use marks it used, under a row lock, so
    an update cannot slip in between this and the commit."""
    if is_builtin(schema) or schema.used_at is not None:
        return schema
    locked = await uow.session.get(
        ManifestSchema, schema.id, with_for_update=uow.ctx.db.is_postgres, populate_existing=True
    )
    if locked is None:
        raise not_found(("input", "schema"), f"Manifest schema `{schema.name}`")
    if locked.used_at is None:
        await uow.session.execute(
            update(ManifestSchema)
            .where(col(ManifestSchema.id) == locked.id)
            .values(used_at=utcnow())
        )
    return locked


async def _stored(
    ctx: Context, session: Any, manifest_id: str, version: int, project_id: str
) -> Manifest | None:
    """The stored submission of this pair, if any; CONFLICT if the manifest id lives in
    another project."""
    stmt = select(Manifest).where(
        col(Manifest.org_id) == ctx.org_id, col(Manifest.manifest_id) == manifest_id
    )
    elsewhere = stmt.where(col(Manifest.project_id) != project_id).limit(1)
    if (await session.execute(elsewhere)).first() is not None:
        raise _conflict(
            f"Manifest `{manifest_id}` belongs to another project; manifest ids are unique in "
            "the organisation."
        )
    same = stmt.where(col(Manifest.manifest_version) == version)
    found: Manifest | None = (await session.execute(same)).scalars().first()
    return found


def _check_assets(document: Mapping[str, Any]) -> Report:
    """``/assets`` in the shape assets are registered from, and no id given two files."""
    items = document.get("assets")
    if items is None:
        return Report((), 0)
    report = validate(items, ASSET_SHAPE, cache_key=ASSET_SHAPE_KEY)
    if not report.valid:
        problems = [Problem("/assets" + p.pointer, p.code, p.message) for p in report.problems]
        return Report(tuple(problems), report.count)
    first: dict[str, dict[str, Any]] = {}
    problems = []
    for index, item in enumerate(items):
        earlier = first.setdefault(item["id"], item)
        if earlier is not item and earlier != item:
            problems.append(
                Problem(
                    f"/assets/{index}/id",
                    "DUPLICATE",
                    f"Asset id {item['id']!r} is listed earlier with other values.",
                )
            )
    return Report(tuple(problems), len(problems))


ITEM_FIELDS = {
    "name": "name",
    "mimeType": "mime_type",
    "size": "size_bytes",
    "tags": "tags",
    "metadata": "meta",
}
"""Optional ``assets`` item fields → ``Asset`` attributes: given, they are set; omitted, an
existing asset keeps its value and a new one gets the default."""


def _asset_values(item: Mapping[str, Any]) -> dict[str, Any]:
    """The fields an ``assets`` item sets on its asset."""
    values: dict[str, Any] = {
        "type": AssetKind(item["type"]),
        "url": item["uri"],
        "sha256": item["sha256"],
    }
    for key, attribute in ITEM_FIELDS.items():
        if key in item:
            values[attribute] = item[key]
    if "tags" in values:
        values["tags"] = list(dict.fromkeys(values["tags"]))
    return values


def _new_asset_defaults(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": item["id"], "mime_type": DEFAULT_MIME_TYPE}


async def _register_assets(
    uow: UnitOfWork, project_id: str, document: Mapping[str, Any]
) -> list[dict[str, Any]]:
    items: Sequence[Mapping[str, Any]] = document.get("assets") or []
    if not items:
        return []
    ids = sorted({item["id"] for item in items})
    hashes = sorted({item["sha256"] for item in items})
    stmt = (
        select(Asset)
        .where(
            col(Asset.project_id) == project_id,
            or_(col(Asset.external_id).in_(ids), col(Asset.sha256).in_(hashes)),
        )
        .order_by(col(Asset.created_at), col(Asset.id))
    )
    if uow.ctx.db.is_postgres:
        stmt = stmt.with_for_update()
    by_id: dict[str, Asset] = {}
    by_hash: dict[str, Asset] = {}
    for existing in (await uow.session.execute(stmt)).scalars():
        if existing.external_id is not None:
            by_id.setdefault(existing.external_id, existing)
        if existing.sha256 is not None:
            by_hash.setdefault(existing.sha256, existing)
    results: dict[str, dict[str, Any]] = {}
    for item in items:
        external_id = item["id"]
        if external_id in results:
            continue
        values = _asset_values(item)
        asset = by_id.get(external_id)
        if asset is not None:
            outcome = _update(uow, asset, values)
        elif (asset := by_hash.get(values["sha256"])) is not None:
            outcome = "reused"
        else:
            asset = Asset(
                org_id=uow.ctx.org_id,
                project_id=project_id,
                external_id=external_id,
                status=AssetStatus.READY,
                **{**_new_asset_defaults(item), **values},
            )
            uow.add(asset)
            uow.emit(asset, "created")
            by_id[external_id] = asset
            by_hash[values["sha256"]] = asset
            outcome = "created"
        results[external_id] = {
            "external_id": external_id,
            "asset_id": asset.id,
            "outcome": outcome,
        }
    return list(results.values())


def _update(uow: UnitOfWork, asset: Asset, values: Mapping[str, Any]) -> str:
    new_file = any(k in FILE_FIELDS and getattr(asset, k) != v for k, v in values.items())
    if not apply_changes(asset, values):
        return "reused"
    if new_file and asset.review_status != AssetReviewStatus.PENDING:
        clear_review(asset)
    uow.changed(asset)
    return "updated"


def summary(manifest: Manifest) -> dict[str, Any]:
    """The event data: what was decided, not the document."""
    outcomes = Counter(entry["outcome"] for entry in manifest.assets)
    return {
        "id": manifest.id,
        "project_id": manifest.project_id,
        "manifest_id": manifest.manifest_id,
        "version": manifest.manifest_version,
        "schema_name": manifest.schema_name,
        "schema_version": manifest.schema_version,
        "status": manifest.status.value,
        "error_count": manifest.error_count,
        "assets": {key: outcomes.get(key, 0) for key in ("created", "reused", "updated")},
    }
