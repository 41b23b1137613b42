"""Organisation members in the GraphQL contract. Passwords are write-only."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.identity.passwords import MIN_LENGTH
from app.ids import IdPrefix
from app.models import User
from app.models import UserRole as UserRoleValue
from resolvers import users as logic
from schema.connections import Connection, order_by_input, ordering
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node

UserRole = strawberry.enum(
    UserRoleValue,
    name="UserRole",
    description="`OWNER`: everything (scope `admin`). `ADMIN`: every scope but `admin`, so "
    "everything except making or managing owners. `MEMBER`: every `:read` scope plus "
    "`content:write` and `jobs:write`, within the user's projects.",
)

_PASSWORD_HELP = f"At least {MIN_LENGTH} characters; stored only as an argon2id hash."


@strawberry.type(name="User", description="A member of the organisation who can sign in.")
class UserType(FromRow, Node):
    email: str = strawberry.field(description="Lower-cased; unique in the organisation.")
    name: str
    role: UserRole  # type: ignore[valid-type]
    project_ids: list[strawberry.ID] | None = strawberry.field(
        description="Projects the user is limited to; null: every project."
    )
    disabled: bool = strawberry.field(description="Disabled users cannot sign in.")
    disabled_at: datetime | None
    last_sign_in_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


@strawberry.input
class UserFilter:
    role: UserRole | None = None  # type: ignore[valid-type]
    disabled: bool | None = None

    def to_logic(self) -> logic.UserFilter:
        return logic.UserFilter(role=self.role, disabled=self.disabled)


@strawberry.input
class CreateUserInput:
    email: str
    name: str
    role: UserRole  # type: ignore[valid-type]
    password: str = strawberry.field(description=_PASSWORD_HELP)
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Limit the user to these projects; null: every project."
    )


@strawberry.input
class UpdateUserInput:
    id: strawberry.ID
    email: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    role: UserRole | None = strawberry.UNSET  # type: ignore[valid-type]
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="null: every project."
    )
    password: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=_PASSWORD_HELP + " Setting it ends the user's sessions.",
    )


@strawberry.input
class DisableUserInput:
    id: strawberry.ID


@strawberry.input
class EnableUserInput:
    id: strawberry.ID


@strawberry.type
class UserPayload(MutationPayload):
    user: UserType | None = None


UserOrderBy = order_by_input(
    "User", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name", EMAIL="email"
)


@strawberry.type
class UserQueries:
    @query_field(scope=Scope.USERS_READ, description="One member by id; null if not visible.")
    async def user(self, info: Info, id: strawberry.ID) -> UserType | None:
        return UserType.maybe(await logic.get_user(info.context, id))

    @query_field(scope=Scope.USERS_READ, description="Members of the organisation.")
    async def users(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: UserFilter | None = None,
        order_by: UserOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[UserType]:
        page = await logic.list_users(
            info.context, (filter or UserFilter()).to_logic(), ordering(order_by), first, after
        )
        return Connection.from_page(page, UserType.from_row)


@strawberry.type
class UserMutations:
    @mutation_field(
        scope=Scope.USERS_WRITE,
        description="Add a member. Only a caller holding the role's scopes may (owners need "
        "`admin`).",
    )
    async def create_user(self, info: Info, input: CreateUserInput) -> UserPayload:
        return UserPayload(
            user=UserType.from_row(await logic.create_user(info.context, changes_of(input)))
        )

    @mutation_field(
        scope=Scope.USERS_WRITE,
        description="Change a member's email, name, role, projects or password; every process "
        "applies a narrower role within a second. Omitted fields are kept.",
    )
    async def update_user(self, info: Info, input: UpdateUserInput) -> UserPayload:
        user = await logic.update_user(info.context, input.id, changes_of(input, exclude=("id",)))
        return UserPayload(user=UserType.from_row(user))

    @mutation_field(
        scope=Scope.USERS_WRITE,
        description="Disable a member: sign-in stops and their sessions and OAuth grants end "
        "at once, on every process.",
    )
    async def disable_user(self, info: Info, input: DisableUserInput) -> UserPayload:
        user = await logic.set_user_disabled(info.context, input.id, True)
        return UserPayload(user=UserType.from_row(user))

    @mutation_field(scope=Scope.USERS_WRITE, description="Let a disabled member sign in again.")
    async def enable_user(self, info: Info, input: EnableUserInput) -> UserPayload:
        user = await logic.set_user_disabled(info.context, input.id, False)
        return UserPayload(user=UserType.from_row(user))


register_node(IdPrefix.USER, User, UserType, Scope.USERS_READ)

QUERIES: tuple[type, ...] = (UserQueries,)
MUTATIONS: tuple[type, ...] = (UserMutations,)
