"""OAuth clients in the GraphQL contract. A confidential client's secret appears only in the
create and rotate payloads."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.identity.authorization import GRANT_TYPES
from app.ids import IdPrefix
from app.models import OAuthClient
from app.models import OAuthClientType as OAuthClientTypeValue
from resolvers import oauth_clients as logic
from schema.connections import Connection, order_by_input, ordering
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node

ClientTypeEnum = strawberry.enum(
    OAuthClientTypeValue,
    name="OAuthClientType",
    description="`CONFIDENTIAL`: a server that keeps a secret. `PUBLIC`: a browser or native "
    "app that cannot; it uses authorization_code with PKCE and no secret.",
)

_GRANTS_HELP = f"Grant types: {', '.join(f'`{g}`' for g in GRANT_TYPES)}."
_URIS_HELP = (
    "Exact redirect URIs: https, http only to a loopback address, or a private-use scheme "
    "(`com.example.app:/callback`). Matched exactly."
)
_LIFETIME_HELP = "Seconds; null: the server's default (access 1 h, or 15 min for client credentials; refresh 30 days)."


@strawberry.type(name="OAuthClient", description="An application registered for OAuth 2.0.")
class OAuthClientType(FromRow, Node):
    name: str
    description: str
    client_type: ClientTypeEnum  # type: ignore[valid-type]
    redirect_uris: list[str] = strawberry.field(description=_URIS_HELP)
    scopes: list[str] = strawberry.field(description="Scopes it may ask for.")
    grant_types: list[str] = strawberry.field(description=_GRANTS_HELP)
    access_token_lifetime: int | None = strawberry.field(description=_LIFETIME_HELP)
    refresh_token_lifetime: int | None = strawberry.field(description=_LIFETIME_HELP)
    secret_last4: str | None = strawberry.field(
        description="Last four characters of the secret; null for public clients."
    )
    revoked_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


@strawberry.input
class OAuthClientFilter:
    revoked: bool | None = None

    def to_logic(self) -> logic.OAuthClientFilter:
        return logic.OAuthClientFilter(revoked=self.revoked)


@strawberry.input
class CreateOAuthClientInput:
    name: str
    client_type: ClientTypeEnum  # type: ignore[valid-type]
    scopes: list[str] = strawberry.field(
        description="Scopes or presets it may ask for; you must hold them yourself."
    )
    grant_types: list[str] = strawberry.field(description=_GRANTS_HELP)
    redirect_uris: list[str] | None = strawberry.field(default=None, description=_URIS_HELP)
    description: str | None = None
    access_token_lifetime: int | None = strawberry.field(default=None, description=_LIFETIME_HELP)
    refresh_token_lifetime: int | None = strawberry.field(default=None, description=_LIFETIME_HELP)


@strawberry.input
class UpdateOAuthClientInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    scopes: list[str] | None = strawberry.UNSET
    grant_types: list[str] | None = strawberry.UNSET
    redirect_uris: list[str] | None = strawberry.UNSET
    access_token_lifetime: int | None = strawberry.UNSET
    refresh_token_lifetime: int | None = strawberry.UNSET


@strawberry.input
class RotateOAuthClientSecretInput:
    id: strawberry.ID


@strawberry.input
class RevokeOAuthClientInput:
    id: strawberry.ID


@strawberry.type
class OAuthClientPayload(MutationPayload):
    oauth_client: OAuthClientType | None = None


@strawberry.type
class OAuthClientSecretPayload(MutationPayload):
    oauth_client: OAuthClientType | None = None
    client_secret: str | None = strawberry.field(
        default=None, description="The client secret: shown this once, store it now."
    )


OAuthClientOrderBy = order_by_input(
    "OAuthClient", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)


@strawberry.type
class OAuthClientQueries:
    @query_field(scope=Scope.KEYS_READ, description="One OAuth client by id (its client_id).")
    async def oauth_client(self, info: Info, id: strawberry.ID) -> OAuthClientType | None:
        return OAuthClientType.maybe(await logic.get_client(info.context, id))

    @query_field(scope=Scope.KEYS_READ, description="The organisation's OAuth clients.")
    async def oauth_clients(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: OAuthClientFilter | None = None,
        order_by: OAuthClientOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[OAuthClientType]:
        page = await logic.list_clients(
            info.context,
            (filter or OAuthClientFilter()).to_logic(),
            ordering(order_by),
            first,
            after,
        )
        return Connection.from_page(page, OAuthClientType.from_row)


@strawberry.type
class OAuthClientMutations:
    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Register an OAuth client; a confidential client's `clientSecret` is "
        "shown this once.",
    )
    async def create_oauth_client(
        self, info: Info, input: CreateOAuthClientInput
    ) -> OAuthClientSecretPayload:
        issued = await logic.create_client(info.context, changes_of(input))
        return OAuthClientSecretPayload(
            oauth_client=OAuthClientType.from_row(issued.client), client_secret=issued.secret
        )

    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Change a client; narrower scopes apply to its tokens on every process "
        "within a second. Omitted fields are kept.",
    )
    async def update_oauth_client(
        self, info: Info, input: UpdateOAuthClientInput
    ) -> OAuthClientPayload:
        client = await logic.update_client(
            info.context, input.id, changes_of(input, exclude=("id",))
        )
        return OAuthClientPayload(oauth_client=OAuthClientType.from_row(client))

    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Issue a new client secret; the previous one stops working at once.",
    )
    async def rotate_oauth_client_secret(
        self, info: Info, input: RotateOAuthClientSecretInput
    ) -> OAuthClientSecretPayload:
        issued = await logic.rotate_client_secret(info.context, input.id)
        return OAuthClientSecretPayload(
            oauth_client=OAuthClientType.from_row(issued.client), client_secret=issued.secret
        )

    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Revoke a client at once: its tokens stop working on every process. It "
        "cannot be undone.",
    )
    async def revoke_oauth_client(
        self, info: Info, input: RevokeOAuthClientInput
    ) -> OAuthClientPayload:
        client = await logic.revoke_client(info.context, input.id)
        return OAuthClientPayload(oauth_client=OAuthClientType.from_row(client))


register_node(IdPrefix.OAUTH_CLIENT, OAuthClient, OAuthClientType, Scope.KEYS_READ)

QUERIES: tuple[type, ...] = (OAuthClientQueries,)
MUTATIONS: tuple[type, ...] = (OAuthClientMutations,)
