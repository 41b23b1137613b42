"""Work done later on behalf of the credential that saved it, with that credential's rights as
they are *now*.

A webhook endpoint (its deliveries and payload document) and an automation (its actions) record
who saved them (``owner_columns``) and, every time they act, ask ``current_owners`` what that
credential may still do. One answer for every kind of credential:

- an API key: its current scopes and projects, while it is neither revoked nor expired;
- an OAuth access token: the client it was issued to, while the client is not revoked; for a
  user's token also the user, while not disabled, with what their role and projects allow now.
  The token itself expires within the hour, so what it was granted is kept instead (``scopes``)
  and bounds the rest: nothing saved with a token ever does more than that token could;
- a console session: the signed-in user, with their current role and projects.

A credential that no longer stands resolves to nothing, and the work stops.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import bindparam
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.auth.keystore import principal_of
from app.auth.principal import CredentialKind, Principal
from app.auth.scopes import Scope, stored_scopes
from app.clock import utcnow
from app.database import Database
from app.identity.roles import role_scopes
from app.identity.token_principals import narrow
from app.ids import IdPrefix, prefix_of
from app.models import ApiKey, OAuthClient, User


class Owned(Protocol):
    """A row that acts on behalf of the credential that saved it."""

    org_id: str
    owner_key_id: str | None
    owner_user_id: str | None
    owner_scopes: list[str] | None


@dataclass(frozen=True, slots=True)
class Owner:
    credential_id: str
    """The API key, OAuth client or (for a console session) user."""
    user_id: str | None = None
    """The user a token acted for."""
    scopes: frozenset[Scope] | None = None
    """What the token that saved it was granted; None for keys and sessions (their own
    current rights are the bound)."""

    @classmethod
    def of(cls, row: Owned) -> Owner | None:
        if row.owner_key_id is None:
            return None
        scopes = stored_scopes(row.owner_scopes) if row.owner_scopes is not None else None
        return cls(row.owner_key_id, row.owner_user_id, scopes)


def owner_columns(principal: Principal) -> dict[str, Any]:
    """What a row saved by ``principal`` records of it (``Owned``'s columns)."""
    token = principal.credential_kind is CredentialKind.ACCESS_TOKEN
    return {
        "owner_key_id": principal.credential_id,
        "owner_user_id": principal.user_id if token else None,
        "owner_scopes": sorted(s.value for s in principal.scopes) if token else None,
    }


def _projects(user: User | None) -> frozenset[str] | None:
    if user is None or user.project_ids is None:
        return None
    return frozenset(user.project_ids)


async def current_owners(session: AsyncSession, rows: Iterable[Owned]) -> dict[Owner, Principal]:
    """The current rights of the credentials that saved ``rows``, for those that still stand
    (and still belong to the row's organisation), by ``Owner``."""
    owners: dict[Owner, str] = {}
    for row in rows:
        owner = Owner.of(row)
        if owner is not None:
            owners[owner] = row.org_id
    if not owners:
        return {}
    ids = {o.credential_id for o in owners} | {o.user_id for o in owners if o.user_id}
    by_prefix: dict[IdPrefix | None, list[str]] = {}
    for i in sorted(ids):
        by_prefix.setdefault(prefix_of(i), []).append(i)
    now = utcnow()
    keys = {
        k.id: k
        for k in await _load(session, ApiKey, by_prefix.get(IdPrefix.API_KEY))
        if k.revoked_at is None and (k.expires_at is None or k.expires_at > now)
    }
    clients = {
        c.id: c
        for c in await _load(session, OAuthClient, by_prefix.get(IdPrefix.OAUTH_CLIENT))
        if c.revoked_at is None
    }
    users = {
        u.id: u
        for u in await _load(session, User, by_prefix.get(IdPrefix.USER))
        if u.disabled_at is None
    }
    found: dict[Owner, Principal] = {}
    for owner, org_id in owners.items():
        principal = _principal(owner, keys, clients, users)
        if principal is not None and principal.org_id == org_id:
            found[owner] = principal
    return found


async def current_owner(db: Database, row: Owned) -> Principal | None:
    """``current_owners`` for one row."""
    owner = Owner.of(row)
    if owner is None:
        return None
    async with db.reading() as session:
        return (await current_owners(session, [row])).get(owner)


def _principal(
    owner: Owner,
    keys: dict[str, ApiKey],
    clients: dict[str, OAuthClient],
    users: dict[str, User],
) -> Principal | None:
    credential = owner.credential_id
    if credential in keys:
        return principal_of(keys[credential])
    if credential in users:
        member = users[credential]
        return Principal(
            credential_id=member.id,
            org_id=member.org_id,
            scopes=role_scopes(member.role),
            project_ids=_projects(member),
            credential_kind=CredentialKind.SESSION,
            user_id=member.id,
        )
    client = clients.get(credential)
    if client is None:
        return None
    user: User | None = None
    scopes = stored_scopes(client.scopes)
    if owner.scopes is not None:
        scopes = narrow(scopes, owner.scopes)
    if owner.user_id is not None:
        user = users.get(owner.user_id)
        if user is None or user.org_id != client.org_id:
            return None
        scopes = narrow(role_scopes(user.role), scopes)
    return Principal(
        credential_id=client.id,
        org_id=client.org_id,
        scopes=scopes,
        project_ids=_projects(user),
        credential_kind=CredentialKind.ACCESS_TOKEN,
        client_id=client.id,
        user_id=user.id if user is not None else None,
    )


@functools.cache
def _by_ids(model: Any) -> Any:
    """``SELECT`` of a model's rows by id, built once per model: a webhook claim runs it each time."""
    return select(model).where(col(model.id).in_(bindparam("b_ids", expanding=True)))


async def _load(session: AsyncSession, model: Any, ids: list[str] | None) -> list[Any]:
    if not ids:
        return []
    return list((await session.execute(_by_ids(model), {"b_ids": ids})).scalars())
