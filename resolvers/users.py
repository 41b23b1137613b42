"""Organisation members: create, list, change, disable and enable.

The same no-escalation rule as API keys holds: a caller can only create or manage a user whose
role's scopes and project limits it holds itself (``app.auth.delegation``), so making, unmaking
or managing an owner needs ``admin``, and a project-limited caller only manages users limited
to its projects. Disabling a user ends their sessions and, on every process within a second,
their access tokens; the last enabled owner cannot be disabled or demoted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from app.auth.delegation import Grant, delegation_problem
from app.clock import utcnow
from app.errors import ApiError, ErrorCode
from app.identity.accounts import normalise_email
from app.identity.grants import revoke_user_grants
from app.identity.passwords import hash_password, password_problem
from app.identity.roles import role_scopes
from app.identity.sessions import end_sessions
from app.models import User, UserRole
from resolvers.api_keys import check_project_list, ensure_projects_visible
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, invalid_state
from resolvers.writes import apply_changes, ensure_unique, load_for_update

MAX_NAME = 100
MAX_EMAIL = 254
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class UserFilter:
    role: UserRole | None = None
    disabled: bool | None = None


async def get_user(ctx: Context, user_id: str) -> User | None:
    user: User | None = await ctx.loaders.by_id(User).load(user_id)
    return user


async def list_users(
    ctx: Context, filter: UserFilter, ordering: Ordering, first: int | None, after: str | None
) -> Page[User]:
    stmt = select(User).where(*visibility(ctx, User))
    if filter.role is not None:
        stmt = stmt.where(col(User.role) == filter.role)
    if filter.disabled is not None:
        disabled_at = col(User.disabled_at)
        stmt = stmt.where(disabled_at.is_not(None) if filter.disabled else disabled_at.is_(None))
    return await paginate(ctx.db, stmt, User, ordering, first, after)


def _check(check: Checker, values: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("email", "name", "role"):
        if name in values and values[name] is None and not creating:
            check.add(name, InputErrorCode.REQUIRED, f"`{name}` cannot be null.")
    if creating or values.get("email") is not None:
        check.text(
            "email",
            values.get("email"),
            max_length=MAX_EMAIL,
            required=True,
            pattern=EMAIL,
            hint="must be an email address",
        )
        if values.get("email") is not None:
            out["email"] = normalise_email(values["email"])
    if creating or values.get("name") is not None:
        check.text("name", values.get("name"), max_length=MAX_NAME, required=True)
        if values.get("name") is not None:
            out["name"] = values["name"].strip()
    if values.get("role") is not None:
        out["role"] = UserRole(values["role"])
    elif creating:
        check.add("role", InputErrorCode.REQUIRED, "`role` is required.")
    if "project_ids" in values:
        out["project_ids"] = check_project_list(check, values["project_ids"])
    if "password" in values or creating:
        password = values.get("password")
        problem = "`password` is required." if password is None else password_problem(password)
        if problem is not None:
            check.add("password", InputErrorCode.INVALID, problem)
    return out


def _grant(role: UserRole, project_ids: list[str] | None) -> Grant:
    return Grant(
        scopes=role_scopes(role),
        project_ids=None if project_ids is None else frozenset(project_ids),
        allowed_cidrs=None,
        expires_at=None,
    )


def _forbid(ctx: Context, grant: Grant, what: str) -> None:
    problem = delegation_problem(ctx.principal, grant)
    if problem is not None:
        raise ApiError(ErrorCode.FORBIDDEN, f"This credential cannot {what} a user with {problem}.")


async def _ensure_an_owner_remains(uow: UnitOfWork, user: User) -> None:
    """Refuses to leave the organisation without an enabled owner."""
    if user.role is not UserRole.OWNER or user.disabled:
        return
    others = (
        await uow.session.execute(
            select(func.count())
            .select_from(User)
            .where(
                col(User.org_id) == user.org_id,
                col(User.role) == UserRole.OWNER,
                col(User.disabled_at).is_(None),
                col(User.id) != user.id,
            )
        )
    ).scalar_one()
    if not others:
        raise invalid_state(("input", "id"), "The organisation's last owner cannot be removed.")


async def create_user(ctx: Context, values: Mapping[str, Any]) -> User:
    check = Checker()
    fields = _check(check, values, creating=True)
    check.raise_if_any()
    _forbid(ctx, _grant(fields["role"], fields.get("project_ids")), "create")
    password_hash = await hash_password(values["password"])
    async with unit_of_work(ctx) as uow:
        await ensure_projects_visible(uow, fields.get("project_ids"))
        await ensure_unique(
            uow,
            User,
            "email",
            fields["email"],
            scope={"org_id": ctx.org_id},
            exclude_id=None,
            path=("input", "email"),
        )
        user = User(org_id=ctx.org_id, password_hash=password_hash, **fields)
        uow.add(user)
        await uow.session.flush()
        uow.emit(user, "created")
    return user


async def update_user(ctx: Context, user_id: str, values: Mapping[str, Any]) -> User:
    check = Checker()
    changes = _check(check, values, creating=False)
    check.raise_if_any()
    password = values.get("password")
    if password is not None:
        changes["password_hash"] = await hash_password(password)
    async with unit_of_work(ctx) as uow:
        user = await load_for_update(uow, User, user_id, what="User")
        _forbid(ctx, _grant(user.role, user.project_ids), "change")
        _forbid(
            ctx,
            _grant(changes.get("role", user.role), changes.get("project_ids", user.project_ids)),
            "make",
        )
        if "role" in changes and changes["role"] is not UserRole.OWNER:
            await _ensure_an_owner_remains(uow, user)
        await ensure_projects_visible(uow, changes.get("project_ids"))
        if "email" in changes:
            await ensure_unique(
                uow,
                User,
                "email",
                changes["email"],
                scope={"org_id": ctx.org_id},
                exclude_id=user.id,
                path=("input", "email"),
            )
        changed = apply_changes(user, changes)
        if changed:
            uow.changed(user)
            if "password_hash" in changes:
                await end_sessions(uow.session, user_id=user.id)
    if changed:
        await ctx.announce_change(user.id)
    return user


async def set_user_disabled(ctx: Context, user_id: str, disabled: bool) -> User:
    """Disabling ends the user's sessions and every grant (refresh and access tokens) at once,
    on every process; enabling restores sign-in only."""
    async with unit_of_work(ctx) as uow:
        user = await load_for_update(uow, User, user_id, what="User")
        _forbid(ctx, _grant(user.role, user.project_ids), "disable or enable")
        if disabled and user.id == ctx.principal.user_id:
            raise invalid_state(("input", "id"), "You cannot disable yourself.")
        if disabled and not user.disabled:
            await _ensure_an_owner_remains(uow, user)
            user.disabled_at = utcnow()
            await end_sessions(uow.session, user_id=user.id)
            await revoke_user_grants(uow.session, user.id)
            uow.changed(user, "disabled")
        elif not disabled and user.disabled:
            user.disabled_at = None
            uow.changed(user, "enabled")
    await ctx.announce_change(user.id)
    return user
