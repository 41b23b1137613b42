"""Manifest schemas: JSON Schemas (draft 2020-12) an organisation registers for its manifests.

Rules partners rely on:
- A schema is identified by ``name`` and ``version``; registering a name again without a
  version adds the next version. Built-in schemas (``content-manifest``) are every
  organisation's, and their names are reserved.
- A schema is checked against the 2020-12 metaschema when registered or changed, with its
  size and depth bounded and references kept inside it.
- Once a manifest has been checked against a schema it never changes again (update and
  delete are INVALID_STATE): stored manifests keep meaning what they meant. Register a new
  version instead.
- Schemas belong to the organisation, not to a project: a key limited to projects sees only
  the built-ins and cannot register any.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, func, select
from sqlmodel import col

from app.errors import ApiError, ErrorCode
from app.json_bounds import JsonBounds
from app.manifests.builtin import BUILTIN_BY_ID, BUILTIN_NAMES, BUILTINS
from app.manifests.checking import check_schema
from app.models import ManifestSchema
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, invalid_state
from resolvers.writes import apply_changes, ensure_unique, load_for_update

NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
MAX_VERSION = 1_000_000
SCHEMA_BOUNDS = JsonBounds(max_bytes=65_536, max_depth=32, max_values=65_536)


@dataclass(frozen=True, slots=True)
class ManifestSchemaFilter:
    name: str | None = None


async def get_manifest_schema(ctx: Context, schema_id: str) -> ManifestSchema | None:
    builtin = BUILTIN_BY_ID.get(schema_id)
    if builtin is not None:
        return builtin
    row: ManifestSchema | None = await ctx.loaders.by_id(ManifestSchema).load(schema_id)
    return row


async def list_manifest_schemas(
    ctx: Context,
    filter: ManifestSchemaFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[ManifestSchema]:
    stmt = select(ManifestSchema).where(*visibility(ctx, ManifestSchema))
    builtins = list(BUILTINS)
    if filter.name is not None:
        matchable = NAME_RE.fullmatch(filter.name) is not None
        stmt = stmt.where(col(ManifestSchema.name) == filter.name if matchable else false())
        builtins = [b for b in builtins if b.name == filter.name]
    return await paginate(ctx.db, stmt, ManifestSchema, ordering, first, after, constants=builtins)


async def find_schema(
    ctx: Context, session: Any, name: str, version: int | None
) -> ManifestSchema | None:
    """The organisation's schema ``name`` at ``version`` (the highest when None), or a
    built-in; read inside the caller's transaction."""
    builtins = [b for b in BUILTINS if b.name == name]
    if builtins:
        matching = [b for b in builtins if version is None or b.schema_version == version]
        return max(matching, key=lambda b: b.schema_version, default=None)
    stmt = select(ManifestSchema).where(
        col(ManifestSchema.org_id) == ctx.org_id, col(ManifestSchema.name) == name
    )
    if version is not None:
        stmt = stmt.where(col(ManifestSchema.schema_version) == version)
    stmt = stmt.order_by(col(ManifestSchema.schema_version).desc()).limit(1)
    found: ManifestSchema | None = (await session.execute(stmt)).scalars().first()
    return found


def _check_document(check: Checker, document: Any) -> None:
    if not check.json_value("schema", document, bounds=SCHEMA_BOUNDS):
        return
    report = check_schema(document)
    for found in report.problems:
        check.add(
            ("schema", *found.pointer.split("/")[1:]),
            InputErrorCode.INVALID,
            f"Not a valid JSON Schema (draft 2020-12) at `{found.pointer or '/'}`: {found.message}",
        )


def _organisation_wide(ctx: Context) -> None:
    if ctx.principal.project_ids is not None:
        raise ApiError(
            ErrorCode.FORBIDDEN,
            "Manifest schemas belong to the whole organisation; a key limited to projects "
            "cannot change them.",
        )


async def create_manifest_schema(ctx: Context, values: Mapping[str, Any]) -> ManifestSchema:
    _organisation_wide(ctx)
    check = Checker()
    name = values.get("name")
    check.text(
        "name",
        name,
        max_length=64,
        required=True,
        pattern=NAME_RE,
        hint="must be 2-64 characters of a-z, 0-9 and -, starting with a letter or digit",
    )
    check.int_range("version", values.get("schema_version"), low=1, high=MAX_VERSION)
    check.text("description", values.get("description"), max_length=2000)
    _check_document(check, values.get("document"))
    if isinstance(name, str) and name in BUILTIN_NAMES:
        check.add("name", InputErrorCode.TAKEN, f"`{name}` is a built-in schema's name.")
    check.raise_if_any()
    assert isinstance(name, str)
    async with unit_of_work(ctx) as uow:
        version = values.get("schema_version") or await _next_version(uow, name)
        await ensure_unique(
            uow,
            ManifestSchema,
            "schema_version",
            version,
            scope={"org_id": ctx.org_id, "name": name},
            exclude_id=None,
            path=("input", "version"),
        )
        schema = ManifestSchema(
            org_id=ctx.org_id,
            name=name,
            schema_version=version,
            description=values.get("description") or "",
            document=values["document"],
        )
        uow.add(schema)
        uow.emit(schema, "created")
    return schema


async def _next_version(uow: UnitOfWork, name: str) -> int:
    highest = select(func.max(ManifestSchema.schema_version)).where(
        col(ManifestSchema.org_id) == uow.ctx.org_id, col(ManifestSchema.name) == name
    )
    current = (await uow.session.execute(highest)).scalar()
    return int(current or 0) + 1


async def _load_changeable(uow: UnitOfWork, schema_id: str) -> ManifestSchema:
    if schema_id in BUILTIN_BY_ID:
        raise invalid_state(("input", "id"), "Built-in schemas cannot be changed.")
    schema = await load_for_update(uow, ManifestSchema, schema_id, what="Manifest schema")
    if schema.used_at is not None:
        raise invalid_state(
            ("input", "id"),
            "Manifests were checked against this schema, so it can no longer change; "
            "register a new version instead.",
        )
    return schema


async def update_manifest_schema(
    ctx: Context, schema_id: str, values: Mapping[str, Any]
) -> ManifestSchema:
    _organisation_wide(ctx)
    check = Checker()
    if "document" in values:
        if values["document"] is None:
            check.add("schema", InputErrorCode.REQUIRED, "`schema` cannot be null.")
        else:
            _check_document(check, values["document"])
    check.text("description", values.get("description"), max_length=2000)
    check.raise_if_any()
    changes = {k: ("" if k == "description" and v is None else v) for k, v in values.items()}
    async with unit_of_work(ctx) as uow:
        schema = await _load_changeable(uow, schema_id)
        if apply_changes(schema, changes):
            uow.changed(schema)
    return schema


async def delete_manifest_schema(ctx: Context, schema_id: str) -> str:
    _organisation_wide(ctx)
    async with unit_of_work(ctx) as uow:
        schema = await _load_changeable(uow, schema_id)
        await uow.delete(schema)
    return schema.id
