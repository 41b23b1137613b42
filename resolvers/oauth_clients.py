"""OAuth clients of an organisation: register, list, change, rotate the secret, revoke.

A confidential client's secret is shown once, in the answer to the create or rotate that made
it, and stored as a hash. Managing clients is managing credentials (``keys:read|write``) and
follows the keys' no-escalation rule: a client may be allowed only scopes the caller holds,
and only a caller holding a client's scopes may change, rotate or revoke it. Changes that could
narrow what tokens may do (scopes, revocation) reach every process within a second.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlmodel import col

from app.auth.delegation import Grant, delegation_problem
from app.auth.scopes import stored_scopes
from app.clock import utcnow
from app.errors import ApiError, ErrorCode
from app.identity import opaque
from app.identity.authorization import GRANT_TYPES
from app.models import OAuthClient, OAuthClientType
from resolvers.api_keys import check_scope_list
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import Checker, InputErrorCode, invalid_state
from resolvers.writes import apply_changes, load_for_update

MAX_NAME = 100
MAX_DESCRIPTION = 1000
MAX_REDIRECT_URIS = 10
MAX_URI_LENGTH = 2000
ACCESS_LIFETIME = (60, 86400)
REFRESH_LIFETIME = (3600, 365 * 86400)
_FORBIDDEN_IN_URI = frozenset(" \t\r\n\"'<>\\;,`")


@dataclass(frozen=True, slots=True)
class OAuthClientFilter:
    revoked: bool | None = None


@dataclass(frozen=True, slots=True)
class IssuedClient:
    """A client with a secret shown now and never again (None for public clients)."""

    client: OAuthClient
    secret: str | None


async def get_client(ctx: Context, client_id: str) -> OAuthClient | None:
    client: OAuthClient | None = await ctx.loaders.by_id(OAuthClient).load(client_id)
    return client


async def list_clients(
    ctx: Context,
    filter: OAuthClientFilter,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[OAuthClient]:
    stmt = select(OAuthClient).where(*visibility(ctx, OAuthClient))
    if filter.revoked is not None:
        revoked_at = col(OAuthClient.revoked_at)
        stmt = stmt.where(revoked_at.is_not(None) if filter.revoked else revoked_at.is_(None))
    return await paginate(ctx.db, stmt, OAuthClient, ordering, first, after)


def redirect_uri_problem(uri: str) -> str | None:
    """Why ``uri`` cannot be registered (RFC 6749 §3.1.2, RFC 8252 for native apps): absolute,
    no fragment or credentials; https, or http to a loopback address, or a private-use scheme
    (``com.example.app:/callback``)."""
    if len(uri) > MAX_URI_LENGTH:
        return f"longer than {MAX_URI_LENGTH} characters"
    if any(c in _FORBIDDEN_IN_URI for c in uri) or not uri.isprintable():
        return "contains spaces, quotes or other characters a URI cannot hold"
    parts = urlsplit(uri)
    if not parts.scheme:
        return "not an absolute URI"
    if parts.fragment or "#" in uri:
        return "has a fragment"
    if parts.scheme == "https":
        if not parts.hostname or parts.username or parts.password:
            return "needs a host and no credentials"
        return None
    if parts.scheme == "http":
        host = parts.hostname or ""
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback or parts.username or parts.password:
            return "http is only allowed to a loopback address (127.0.0.1, [::1], localhost)"
        return None
    if "." in parts.scheme and not parts.netloc:
        return None
    return "must be https, http to a loopback address, or a reverse-domain private-use scheme"


def _check(check: Checker, values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("name", "scopes", "grant_types", "redirect_uris"):
        if name in values and values[name] is None and not creating:
            check.add(name, InputErrorCode.REQUIRED, f"`{name}` cannot be null.")
    if creating or values.get("name") is not None:
        check.text("name", values.get("name"), max_length=MAX_NAME, required=True)
        if values.get("name") is not None:
            out["name"] = values["name"].strip()
    if values.get("description") is not None:
        check.text("description", values["description"], max_length=MAX_DESCRIPTION)
        out["description"] = values["description"]
    if creating:
        out["client_type"] = OAuthClientType(values["client_type"])

    scopes = check_scope_list(check, values.get("scopes"), creating=creating)
    if scopes is not None:
        out["scopes"] = scopes

    grant_types = values.get("grant_types")
    if grant_types is not None:
        wrong = [g for g in grant_types if g not in GRANT_TYPES]
        if not grant_types:
            check.add("grantTypes", InputErrorCode.REQUIRED, "Give at least one grant type.")
        elif wrong:
            check.add(
                "grantTypes",
                InputErrorCode.INVALID,
                f"Unknown grant type {wrong[0]!r}; use {', '.join(GRANT_TYPES)}.",
            )
        else:
            out["grant_types"] = [g for g in GRANT_TYPES if g in grant_types]
    elif creating:
        check.add("grantTypes", InputErrorCode.REQUIRED, "Give at least one grant type.")

    uris = values.get("redirect_uris")
    if uris is not None:
        if len(uris) > MAX_REDIRECT_URIS:
            check.add("redirectUris", InputErrorCode.TOO_LONG, f"At most {MAX_REDIRECT_URIS} URIs.")
        for uri in uris[:MAX_REDIRECT_URIS]:
            problem = redirect_uri_problem(uri)
            if problem is not None:
                check.add("redirectUris", InputErrorCode.INVALID, f"{uri[:100]!r}: {problem}.")
        out["redirect_uris"] = list(dict.fromkeys(uris))
    for name, path, (low, high) in (
        ("access_token_lifetime", "accessTokenLifetime", ACCESS_LIFETIME),
        ("refresh_token_lifetime", "refreshTokenLifetime", REFRESH_LIFETIME),
    ):
        if name in values:
            check.int_range(path, values[name], low=low, high=high)
            out[name] = values[name]
    return out


def _consistency(check: Checker, client_type: OAuthClientType, fields: Mapping[str, Any]) -> None:
    grant_types = fields.get("grant_types", [])
    if "authorization_code" in grant_types and not fields.get("redirect_uris"):
        check.add(
            "redirectUris",
            InputErrorCode.REQUIRED,
            "authorization_code needs at least one redirect URI.",
        )
    if "refresh_token" in grant_types and "authorization_code" not in grant_types:
        check.add(
            "grantTypes",
            InputErrorCode.INVALID,
            "refresh_token comes with authorization_code; client_credentials needs none.",
        )
    if client_type is OAuthClientType.PUBLIC and "client_credentials" in grant_types:
        check.add(
            "grantTypes",
            InputErrorCode.INVALID,
            "A public client cannot use client_credentials (it has no secret).",
        )


def _grant(scopes: list[str]) -> Grant:
    return Grant(
        scopes=stored_scopes(scopes), project_ids=None, allowed_cidrs=None, expires_at=None
    )


def _forbid(ctx: Context, scopes: list[str], what: str) -> None:
    problem = delegation_problem(ctx.principal, _grant(scopes))
    if problem is not None:
        raise ApiError(
            ErrorCode.FORBIDDEN, f"This credential cannot {what} a client with {problem}."
        )


def _new_secret(client: OAuthClient) -> str:
    secret = opaque.new_secret(opaque.CLIENT_SECRET_PREFIX)
    client.secret_hash = opaque.digest(secret)
    client.secret_last4 = secret[-4:]
    return secret


async def create_client(ctx: Context, values: Mapping[str, Any]) -> IssuedClient:
    check = Checker()
    fields = _check(check, values, creating=True)
    check.raise_if_any()
    _consistency(check, fields["client_type"], fields)
    check.raise_if_any()
    _forbid(ctx, fields["scopes"], "register")
    async with unit_of_work(ctx) as uow:
        client = OAuthClient(org_id=ctx.org_id, **fields)
        secret = _new_secret(client) if client.confidential else None
        uow.add(client)
        await uow.session.flush()
        uow.emit(client, "created")
    return IssuedClient(client, secret)


def _refuse_revoked(client: OAuthClient, action: str) -> None:
    if client.revoked_at is not None:
        raise invalid_state(
            ("input", "id"), f"A revoked client cannot be {action}; register a new one."
        )


async def update_client(ctx: Context, client_id: str, values: Mapping[str, Any]) -> OAuthClient:
    check = Checker()
    changes = _check(check, values, creating=False)
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        client = await load_for_update(uow, OAuthClient, client_id, what="OAuth client")
        _forbid(ctx, client.scopes, "change")
        _refuse_revoked(client, "changed")
        merged = {
            "grant_types": changes.get("grant_types", client.grant_types),
            "redirect_uris": changes.get("redirect_uris", client.redirect_uris),
        }
        _consistency(check, client.client_type, merged)
        check.raise_if_any()
        if "scopes" in changes:
            _forbid(ctx, changes["scopes"], "allow")
        changed = apply_changes(client, changes)
        if changed:
            uow.changed(client)
    if changed:
        await ctx.announce_change(client.id)
    return client


async def rotate_client_secret(ctx: Context, client_id: str) -> IssuedClient:
    """A new secret; the previous one stops working at once (tokens already issued stay)."""
    async with unit_of_work(ctx) as uow:
        client = await load_for_update(uow, OAuthClient, client_id, what="OAuth client")
        _forbid(ctx, client.scopes, "rotate the secret of")
        _refuse_revoked(client, "rotated")
        if not client.confidential:
            raise invalid_state(("input", "id"), "A public client has no secret to rotate.")
        secret = _new_secret(client)
        uow.changed(client, "secret_rotated")
    return IssuedClient(client, secret)


async def revoke_client(ctx: Context, client_id: str) -> OAuthClient:
    """Immediate and final: every token the client holds stops working on every process."""
    async with unit_of_work(ctx) as uow:
        client = await load_for_update(uow, OAuthClient, client_id, what="OAuth client")
        _forbid(ctx, client.scopes, "revoke")
        if client.revoked_at is None:
            client.revoked_at = utcnow()
            uow.changed(client, "revoked")
    await ctx.announce_change(client.id)
    return client
