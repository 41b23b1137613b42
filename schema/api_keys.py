"""API keys in the GraphQL contract. Secrets appear only in create and rotate payloads."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import PRESETS, Scope
from app.ids import IdPrefix
from app.models import ApiKey
from app.models import ApiKeyStatus as ApiKeyStatusValue
from resolvers import api_keys as logic
from schema.connections import Connection, order_by_input, ordering
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node

ApiKeyStatus = strawberry.enum(ApiKeyStatusValue, name="ApiKeyStatus")

_SCOPES_DOC = (
    f"Scopes: {', '.join(f'`{s.value}`' for s in Scope)}; or presets "
    f"{', '.join(f'`{p}`' for p in PRESETS)}, expanded when stored. A key can only grant "
    "scopes it holds itself (`admin` holds all)."
)


@strawberry.type(
    name="ApiKey",
    description="An API key. Its secret is never shown again after create or rotate.",
)
class ApiKeyType(FromRow, Node):
    name: str
    description: str
    prefix: str = strawberry.field(description="`rh_live_` or `rh_test_`.")
    last4: str = strawberry.field(description="The secret's last four characters.")
    scopes: list[str] = strawberry.field(description="Scopes held, e.g. `projects:read`.")
    project_ids: list[strawberry.ID] | None = strawberry.field(
        description="Projects the key is limited to; null: every project of the organisation."
    )
    allowed_cidrs: list[str] | None = strawberry.field(
        description="IPv4/IPv6 ranges requests must come from; null: any address."
    )
    read_rate_limit: int | None = strawberry.field(
        description="Read cost points per minute (and burst); null: the server default."
    )
    write_rate_limit: int | None = strawberry.field(
        description="Write cost points per minute (and burst); null: the server default."
    )
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None = strawberry.field(
        description="Last authenticated request, to the minute."
    )
    test_mode: bool = strawberry.field(description="Whether this is a `rh_test_` key.")
    status: ApiKeyStatus = strawberry.field(  # type: ignore[valid-type]
        description="Active, expired or revoked, now."
    )
    version: int
    created_at: datetime
    updated_at: datetime


@strawberry.input
class ApiKeyFilter:
    status: ApiKeyStatus | None = None  # type: ignore[valid-type]
    test_mode: bool | None = None

    def to_logic(self) -> logic.ApiKeyFilter:
        return logic.ApiKeyFilter(status=self.status, test_mode=self.test_mode)


@strawberry.input
class CreateApiKeyInput:
    name: str
    scopes: list[str] = strawberry.field(description=_SCOPES_DOC)
    description: str | None = None
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Limit the key to these projects; null: every project."
    )
    allowed_cidrs: list[str] | None = strawberry.field(
        default=None, description="Accept requests only from these ranges; null: any address."
    )
    expires_at: datetime | None = None
    read_rate_limit: int | None = strawberry.field(
        default=None, description="Read cost points per minute."
    )
    write_rate_limit: int | None = strawberry.field(
        default=None, description="Write cost points per minute."
    )
    test_mode: bool | None = strawberry.field(
        default=None, description="Issue a `rh_test_` key; default: the server's key environment."
    )


@strawberry.input
class UpdateApiKeyInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    scopes: list[str] | None = strawberry.field(default=strawberry.UNSET, description=_SCOPES_DOC)
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="null: every project."
    )
    allowed_cidrs: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="null: any address."
    )
    expires_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="null: never."
    )
    read_rate_limit: int | None = strawberry.UNSET
    write_rate_limit: int | None = strawberry.UNSET


@strawberry.input
class RotateApiKeyInput:
    id: strawberry.ID
    grace_period_seconds: int | None = strawberry.field(
        default=logic.DEFAULT_GRACE_SECONDS,
        description=f"How long the previous secret keeps working: 0 (not at all) to "
        f"{logic.MAX_GRACE_SECONDS} (7 days).",
    )


@strawberry.input
class RevokeApiKeyInput:
    id: strawberry.ID


@strawberry.type
class ApiKeyPayload(MutationPayload):
    api_key: ApiKeyType | None = None


@strawberry.type
class CreateApiKeyPayload(MutationPayload):
    api_key: ApiKeyType | None = None
    secret: str | None = strawberry.field(
        default=None, description="The key's secret: shown this once, store it now."
    )


@strawberry.type
class RotateApiKeyPayload(MutationPayload):
    api_key: ApiKeyType | None = None
    secret: str | None = strawberry.field(
        default=None, description="The new secret: shown this once, store it now."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        default=None, description="When the previous secret stops working."
    )


ApiKeyOrderBy = order_by_input(
    "ApiKey", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)


@strawberry.type
class ApiKeyQueries:
    @query_field(scope=Scope.KEYS_READ, description="One API key by id; null if not visible.")
    async def api_key(self, info: Info, id: strawberry.ID) -> ApiKeyType | None:
        return ApiKeyType.maybe(await logic.get_api_key(info.context, id))

    @query_field(
        scope=Scope.KEYS_READ,
        description="API keys of the organisation (a project-limited key sees only keys "
        "limited to its projects).",
    )
    async def api_keys(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ApiKeyFilter | None = None,
        order_by: ApiKeyOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[ApiKeyType]:
        page = await logic.list_api_keys(
            info.context, (filter or ApiKeyFilter()).to_logic(), ordering(order_by), first, after
        )
        return Connection.from_page(page, ApiKeyType.from_row)


@strawberry.type
class ApiKeyMutations:
    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Create an API key; the payload's `secret` is the only time it is shown.",
    )
    async def create_api_key(self, info: Info, input: CreateApiKeyInput) -> CreateApiKeyPayload:
        issued = await logic.create_api_key(info.context, changes_of(input))
        return CreateApiKeyPayload(api_key=ApiKeyType.from_row(issued.key), secret=issued.secret)

    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Change a key's name, scopes or limits; every process applies it within "
        "a second. Omitted fields are kept.",
    )
    async def update_api_key(self, info: Info, input: UpdateApiKeyInput) -> ApiKeyPayload:
        key = await logic.update_api_key(info.context, input.id, changes_of(input, exclude=("id",)))
        return ApiKeyPayload(api_key=ApiKeyType.from_row(key))

    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Issue a new secret for the same key; the previous one keeps working "
        "for `gracePeriodSeconds`.",
    )
    async def rotate_api_key(self, info: Info, input: RotateApiKeyInput) -> RotateApiKeyPayload:
        issued = await logic.rotate_api_key(info.context, input.id, input.grace_period_seconds)
        return RotateApiKeyPayload(
            api_key=ApiKeyType.from_row(issued.key),
            secret=issued.secret,
            previous_secret_expires_at=issued.previous_secret_expires_at,
        )

    @mutation_field(
        scope=Scope.KEYS_WRITE,
        description="Revoke a key at once, on every process. It cannot be undone.",
    )
    async def revoke_api_key(self, info: Info, input: RevokeApiKeyInput) -> ApiKeyPayload:
        return ApiKeyPayload(
            api_key=ApiKeyType.from_row(await logic.revoke_api_key(info.context, input.id))
        )


register_node(IdPrefix.API_KEY, ApiKey, ApiKeyType, Scope.KEYS_READ)

QUERIES: tuple[type, ...] = (ApiKeyQueries,)
MUTATIONS: tuple[type, ...] = (ApiKeyMutations,)
