"""API keys managed through the API: create, list, change, rotate, revoke.

A secret leaves the server only in the answer to the create or rotate that made it. Every
change that could narrow a key is announced to every process's key cache after it commits
(``ctx.key_changes``), so revocation takes effect everywhere within a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import col

from app.auth.delegation import Grant, delegation_problem
from app.auth.issuing import add_secret, issue_key
from app.auth.network import parse_network
from app.auth.scopes import parse_scopes, stored_scopes, unknown_scopes
from app.clock import utcnow
from app.errors import ApiError, ErrorCode, FieldError
from app.models import ApiKey, ApiKeySecret, ApiKeyStatus, Project
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, InputErrors
from resolvers.writes import apply_changes, load_for_update

MAX_NAME = 100
MAX_DESCRIPTION = 1000
MAX_SCOPE_ENTRIES = 64
MAX_PROJECTS = 100
MAX_CIDRS = 50
MAX_RATE_LIMIT = 1_000_000
DEFAULT_GRACE_SECONDS = 24 * 3600
MAX_GRACE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True, slots=True)
class ApiKeyFilter:
    status: ApiKeyStatus | None = None
    test_mode: bool | None = None


@dataclass(frozen=True, slots=True)
class IssuedSecret:
    """A key with a secret that is shown now and never again."""

    key: ApiKey
    secret: str
    previous_secret_expires_at: datetime | None = None


async def get_api_key(ctx: Context, key_id: str) -> ApiKey | None:
    key: ApiKey | None = await ctx.loaders.by_id(ApiKey).load(key_id)
    return key


async def list_api_keys(
    ctx: Context, filter: ApiKeyFilter, ordering: Ordering, first: int | None, after: str | None
) -> Page[ApiKey]:
    stmt = select(ApiKey).where(*visibility(ctx, ApiKey))
    now = utcnow()
    revoked_at, expires_at = col(ApiKey.revoked_at), col(ApiKey.expires_at)
    if filter.status is ApiKeyStatus.REVOKED:
        stmt = stmt.where(revoked_at.is_not(None))
    elif filter.status is ApiKeyStatus.EXPIRED:
        stmt = stmt.where(revoked_at.is_(None), expires_at.is_not(None), expires_at <= now)
    elif filter.status is ApiKeyStatus.ACTIVE:
        stmt = stmt.where(revoked_at.is_(None), or_(expires_at.is_(None), expires_at > now))
    if filter.test_mode is not None:
        stmt = stmt.where(col(ApiKey.environment) == ("test" if filter.test_mode else "live"))
    return await paginate(ctx.db, stmt, ApiKey, ordering, first, after)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def check_scope_list(
    check: Checker, scopes: list[str] | None, *, creating: bool
) -> list[str] | None:
    """Scopes and presets a credential may hold, expanded and sorted; None when absent or
    refused (the problem is added to ``check``)."""
    if scopes is None:
        if creating:
            check.add("scopes", InputErrorCode.REQUIRED, "Give at least one scope or preset.")
        return None
    unknown = unknown_scopes(scopes)
    if not scopes:
        check.add("scopes", InputErrorCode.REQUIRED, "Give at least one scope or preset.")
    elif len(scopes) > MAX_SCOPE_ENTRIES:
        check.add("scopes", InputErrorCode.TOO_LONG, f"At most {MAX_SCOPE_ENTRIES} entries.")
    elif unknown:
        check.add(
            "scopes",
            InputErrorCode.INVALID,
            f"Unknown scope or preset: {', '.join(repr(u) for u in unknown[:10])}.",
        )
    else:
        return sorted(s.value for s in parse_scopes(scopes))
    return None


def check_project_list(check: Checker, projects: list[str] | None) -> list[str] | None:
    """A credential's or user's project limit: null (every project) or a non-empty list."""
    if projects is not None and not projects:
        check.add(
            "projectIds",
            InputErrorCode.INVALID,
            "Send null (or omit it) for every project; an empty list would allow none.",
        )
    elif projects is not None and len(projects) > MAX_PROJECTS:
        check.add("projectIds", InputErrorCode.TOO_LONG, f"At most {MAX_PROJECTS} projects.")
    return None if not projects else _unique(str(p) for p in projects)


def _check(check: Checker, values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validates and returns the stored form of the given fields (scopes expanded and sorted,
    lists without duplicates, CIDRs in canonical form)."""
    out: dict[str, Any] = {}
    for required in ("name", "scopes"):
        if required in values and values[required] is None and not creating:
            check.add(required, InputErrorCode.REQUIRED, f"`{required}` cannot be null.")
    check.text(
        "name",
        values.get("name"),
        max_length=MAX_NAME,
        required=creating or values.get("name") is not None,
    )
    if values.get("name") is not None:
        out["name"] = values["name"].strip()
    if "description" in values:
        check.text("description", values["description"], max_length=MAX_DESCRIPTION)
        out["description"] = values["description"] or ""

    scopes = check_scope_list(check, values.get("scopes"), creating=creating)
    if scopes is not None:
        out["scopes"] = scopes

    if "project_ids" in values:
        out["project_ids"] = check_project_list(check, values["project_ids"])

    if "allowed_cidrs" in values:
        cidrs = values["allowed_cidrs"]
        if cidrs is not None and not cidrs:
            check.add(
                "allowedCidrs",
                InputErrorCode.INVALID,
                "Send null (or omit it) to allow any address; an empty list would allow none.",
            )
        elif cidrs is not None and len(cidrs) > MAX_CIDRS:
            check.add("allowedCidrs", InputErrorCode.TOO_LONG, f"At most {MAX_CIDRS} ranges.")
        elif cidrs is not None:
            parsed: list[str] = []
            for value in cidrs:
                try:
                    parsed.append(str(parse_network(value)))
                except ValueError as error:
                    check.add("allowedCidrs", InputErrorCode.INVALID, f"{error}.")
            out["allowed_cidrs"] = _unique(parsed)
        else:
            out["allowed_cidrs"] = None

    if "expires_at" in values:
        expires_at = values["expires_at"]
        if expires_at is not None and expires_at <= utcnow():
            check.add(
                "expiresAt", InputErrorCode.OUT_OF_RANGE, "`expiresAt` must be in the future."
            )
        out["expires_at"] = expires_at

    for name, path in (
        ("read_rate_limit", "readRateLimit"),
        ("write_rate_limit", "writeRateLimit"),
    ):
        if name in values:
            check.int_range(path, values[name], low=1, high=MAX_RATE_LIMIT)
            out[name] = values[name]
    return out


def _grant(key: ApiKey, changes: Mapping[str, Any] | None = None) -> Grant:
    def value(name: str) -> Any:
        return (changes or {}).get(name, getattr(key, name))

    projects, cidrs = value("project_ids"), value("allowed_cidrs")
    return Grant(
        scopes=stored_scopes(value("scopes")),
        project_ids=None if projects is None else frozenset(projects),
        allowed_cidrs=None if cidrs is None else tuple(cidrs),
        expires_at=value("expires_at"),
    )


def _forbid_escalation(ctx: Context, grant: Grant) -> None:
    problem = delegation_problem(ctx.principal, grant)
    if problem is not None:
        raise ApiError(ErrorCode.FORBIDDEN, f"This API key cannot grant {problem}.")


def _forbid_managing(ctx: Context, key: ApiKey) -> None:
    """Changing, rotating or revoking a key needs at least the access that key has: rotating
    hands out its secret, and the rest could lock out a more powerful key."""
    problem = delegation_problem(ctx.principal, _grant(key))
    if problem is not None:
        raise ApiError(ErrorCode.FORBIDDEN, f"This API key cannot manage a key that has {problem}.")


async def ensure_projects_visible(uow: UnitOfWork, project_ids: list[str] | None) -> None:
    """NOT_FOUND for listed projects the caller cannot see."""
    if not project_ids:
        return
    stmt = select(col(Project.id)).where(
        col(Project.id).in_(project_ids), *visibility(uow.ctx, Project)
    )
    found = set((await uow.session.execute(stmt)).scalars())
    missing = [p for p in project_ids if p not in found]
    if missing:
        raise InputErrors(
            [
                FieldError(
                    ("input", "projectIds"),
                    InputErrorCode.NOT_FOUND.value,
                    f"Project not found: {', '.join(missing[:10])}.",
                )
            ]
        )


def _refuse_revoked(key: ApiKey, action: str) -> None:
    if key.revoked_at is not None:
        raise InputErrors(
            [
                FieldError(
                    ("input", "id"),
                    InputErrorCode.INVALID_STATE.value,
                    f"A revoked key cannot be {action}; create a new key instead.",
                )
            ]
        )


async def create_api_key(ctx: Context, values: Mapping[str, Any]) -> IssuedSecret:
    check = Checker()
    fields = _check(check, values, creating=True)
    check.raise_if_any()
    project_ids, cidrs = fields.get("project_ids"), fields.get("allowed_cidrs")
    test_mode = values.get("test_mode")
    environment = (
        ctx.settings.key_environment if test_mode is None else ("test" if test_mode else "live")
    )
    async with unit_of_work(ctx) as uow:
        await ensure_projects_visible(uow, project_ids)
        _forbid_escalation(
            ctx,
            Grant(
                scopes=stored_scopes(fields["scopes"]),
                project_ids=None if project_ids is None else frozenset(project_ids),
                allowed_cidrs=None if cidrs is None else tuple(cidrs),
                expires_at=fields.get("expires_at"),
            ),
        )
        key, secret = await issue_key(
            uow.session,
            org_id=ctx.org_id,
            name=fields["name"],
            description=fields.get("description", ""),
            scopes=stored_scopes(fields["scopes"]),
            environment=environment,
            project_ids=project_ids,
            allowed_cidrs=cidrs,
            expires_at=fields.get("expires_at"),
            read_rate_limit=fields.get("read_rate_limit"),
            write_rate_limit=fields.get("write_rate_limit"),
        )
        uow.emit(key, "created")
    return IssuedSecret(key, secret)


async def update_api_key(ctx: Context, key_id: str, values: Mapping[str, Any]) -> ApiKey:
    check = Checker()
    changes = _check(check, values, creating=False)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        key = await load_for_update(uow, ApiKey, key_id, what="API key")
        _forbid_managing(ctx, key)
        _refuse_revoked(key, "changed")
        await ensure_projects_visible(uow, changes.get("project_ids"))
        _forbid_escalation(ctx, _grant(key, changes))
        changed = apply_changes(key, changes)
        if changed:
            uow.changed(key)
    if changed:
        await ctx.announce_change(key.id)
    return key


async def rotate_api_key(ctx: Context, key_id: str, grace_seconds: int | None) -> IssuedSecret:
    """A new secret for the same key; older secrets keep working for the grace period
    (0: not at all), never longer than they already would."""
    grace = DEFAULT_GRACE_SECONDS if grace_seconds is None else grace_seconds
    check = Checker()
    check.int_range("gracePeriodSeconds", grace, low=0, high=MAX_GRACE_SECONDS)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        key = await load_for_update(uow, ApiKey, key_id, what="API key")
        _forbid_managing(ctx, key)
        _refuse_revoked(key, "rotated")
        now = utcnow()
        ends = now + timedelta(seconds=grace)
        old = (
            await uow.session.execute(
                select(ApiKeySecret).where(col(ApiKeySecret.key_id) == key.id)
            )
        ).scalars()
        for secret in list(old):
            if secret.expires_at is not None and secret.expires_at <= now:
                await uow.session.delete(secret)
            elif secret.expires_at is None or secret.expires_at > ends:
                secret.expires_at = ends
                secret.touch()
        token = await add_secret(uow.session, key)
        uow.changed(key, "rotated")
    await ctx.announce_change(key.id)
    return IssuedSecret(key, token, ends)


async def revoke_api_key(ctx: Context, key_id: str) -> ApiKey:
    """Immediate and final; revoking a revoked key changes nothing."""
    async with unit_of_work(ctx) as uow:
        key = await load_for_update(uow, ApiKey, key_id, what="API key")
        _forbid_managing(ctx, key)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            uow.changed(key, "revoked")
    await ctx.announce_change(key.id)
    return key
