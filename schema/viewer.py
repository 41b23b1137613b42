"""``viewer``: who the caller is, whatever the credential (``GET /v1/me`` in REST)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.principal import CredentialKind as CredentialKindValue
from resolvers.context import Context
from schema.fields import query_field

CredentialKind = strawberry.enum(
    CredentialKindValue,
    name="CredentialKind",
    description="`API_KEY`; `ACCESS_TOKEN` (OAuth 2.0); `SESSION` (a signed-in user in the "
    "console); `OPERATOR` (the command line).",
)


@strawberry.type(description="The caller: its credential, organisation, user, scopes and limits.")
class Viewer:
    credential_kind: CredentialKind  # type: ignore[valid-type]
    credential_id: strawberry.ID = strawberry.field(
        description="The API key's id, the OAuth client's id for an access token, the user's "
        "id for a session. Rate limits are counted per credential id."
    )
    organization_id: strawberry.ID
    user_id: strawberry.ID | None = strawberry.field(
        description="The user an access token or session acts for; null for keys and "
        "client-credentials tokens."
    )
    client_id: strawberry.ID | None = strawberry.field(
        description="The OAuth client an access token was issued to."
    )
    scopes: list[str] = strawberry.field(
        description="The scopes in force now (for a user's token: the client's, the grant's "
        "and the user's role's, intersected)."
    )
    project_ids: list[strawberry.ID] | None = strawberry.field(
        description="Projects the caller is limited to; null: every project."
    )
    allowed_cidrs: list[str] | None
    expires_at: datetime | None
    read_rate_limit: int | None = strawberry.field(
        description="Read cost points per minute; null: the default."
    )
    write_rate_limit: int | None = strawberry.field(
        description="Write cost points per minute; null: the default."
    )
    test_mode: bool


def viewer_of(ctx: Context) -> Viewer:
    p = ctx.principal
    return Viewer(
        credential_kind=p.credential_kind,
        credential_id=strawberry.ID(p.credential_id),
        organization_id=strawberry.ID(p.org_id),
        user_id=strawberry.ID(p.user_id) if p.user_id else None,
        client_id=strawberry.ID(p.client_id) if p.client_id else None,
        scopes=sorted(s.value for s in p.scopes),
        project_ids=sorted(strawberry.ID(i) for i in p.project_ids)
        if p.project_ids is not None
        else None,
        allowed_cidrs=list(p.allowed_cidrs) if p.allowed_cidrs is not None else None,
        expires_at=p.expires_at,
        read_rate_limit=p.read_rate_limit,
        write_rate_limit=p.write_rate_limit,
        test_mode=p.environment == "test",
    )


@strawberry.type
class ViewerQueries:
    @query_field(
        scope=None,
        about_caller=True,
        description="Who the caller is: credential kind and id, organisation, user, scopes "
        "and limits.",
    )
    async def viewer(self, info: Info) -> Viewer:
        return viewer_of(info.context)


QUERIES: tuple[type, ...] = (ViewerQueries,)
MUTATIONS: tuple[type, ...] = ()
