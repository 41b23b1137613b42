"""Users of the organisation (owners and admins): create with a first password, change role and
project limit, disable and enable. Who may manage whom (only an owner makes an owner) is the
API's rule; the page offers the roles the person holds the scope for."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from app.auth.scopes import Scope
from console.app import Refused, View
from console.graphql import UserErrors, mutation
from console.inputs import checked, text
from console.sections import USERS

USER_FIELDS = "id email name role projectIds disabled disabledAt lastSignInAt createdAt"

LIST = f"""
query ConsoleUsers($after: String) {{
  users(first: 100, after: $after) {{
    nodes {{ {USER_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
  projects(first: 100) {{ nodes {{ id name slug }} }}
}}"""

ONE = f"""
query ConsoleUser($id: ID!) {{
  user(id: $id) {{ {USER_FIELDS} }}
  projects(first: 100) {{ nodes {{ id name slug }} }}
}}"""

USER = f"user {{ {USER_FIELDS} }}"
CREATE = mutation("createUser", "CreateUserInput", USER)
UPDATE = mutation("updateUser", "UpdateUserInput", USER)
DISABLE = mutation("disableUser", "DisableUserInput", USER)
ENABLE = mutation("enableUser", "EnableUserInput", USER)

ROLE_HELP = {
    "OWNER": "everything, including managing owners",
    "ADMIN": "everything but managing owners",
    "MEMBER": "reads, and writes content and jobs",
}


def _roles(view: View) -> list[tuple[str, str]]:
    offered = ["OWNER", "ADMIN", "MEMBER"] if view.may(Scope.ADMIN) else ["ADMIN", "MEMBER"]
    return [(role, ROLE_HELP[role]) for role in offered]


async def _list(
    view: View, status: int = 200, form: dict[str, str] | None = None, errors: Any = None
) -> Response:
    after = view.request.query_params.get("after") or None
    data = await view.api.query(LIST, {"after": after})
    return view.render(
        "users.html",
        status,
        users=data["users"]["nodes"],
        page=data["users"]["pageInfo"],
        projects=data["projects"]["nodes"],
        roles=_roles(view),
        form=form or {"role": "MEMBER"},
        selected_projects=checked(form or {}, "project:"),
        errors=errors or UserErrors(),
    )


async def user_list(view: View) -> Response:
    return await _list(view)


async def user_create(view: View) -> Response:
    form = await view.action()
    values = {
        "email": text(form, "email"),
        "name": text(form, "name"),
        "role": form.get("role", "MEMBER"),
        "password": form.get("password", ""),
        "projectIds": checked(form, "project:") or None,
    }
    payload, errors = await view.api.mutate(CREATE, {"input": values})
    if errors:
        form.pop("password", None)
        return await _list(view, 422, form, errors)
    return view.redirect(f"{USERS.path}/{payload['user']['id']}?created=1")


async def _detail(
    view: View,
    status: int = 200,
    form: dict[str, str] | None = None,
    errors: UserErrors | None = None,
) -> Response:
    data = await view.api.query(ONE, {"id": view.request.path_params["user_id"]})
    user = data["user"]
    if user is None:
        raise Refused(404, "User not found", "There is no user with this id.")
    return view.render(
        "user.html",
        status,
        user=user,
        projects=data["projects"]["nodes"],
        roles=_roles(view),
        values=form or user,
        selected_projects=checked(form, "project:") if form else (user["projectIds"] or []),
        errors=errors or UserErrors(),
    )


async def user_detail(view: View) -> Response:
    return await _detail(view)


async def user_update(view: View) -> Response:
    form = await view.action()
    user_id = view.request.path_params["user_id"]
    values: dict[str, Any] = {
        "id": user_id,
        "name": text(form, "name"),
        "role": form.get("role"),
        "projectIds": checked(form, "project:") or None,
    }
    _, errors = await view.api.mutate(UPDATE, {"input": values})
    if errors:
        return await _detail(view, 422, form, errors)
    return view.redirect(f"{USERS.path}/{user_id}?saved=1")


async def _toggle(view: View, document: str, done: str) -> Response:
    await view.action()
    user_id = view.request.path_params["user_id"]
    _, errors = await view.api.mutate(document, {"input": {"id": user_id}})
    if errors:
        return await _detail(view, 422, None, errors)
    return view.redirect(f"{USERS.path}/{user_id}?{done}=1")


async def user_disable(view: View) -> Response:
    return await _toggle(view, DISABLE, "disabled")


async def user_enable(view: View) -> Response:
    return await _toggle(view, ENABLE, "enabled")


ROUTES = (
    (USERS, "/users", user_list, ("GET",)),
    (USERS, "/users/new", user_create, ("POST",)),
    (USERS, "/users/{user_id}", user_detail, ("GET",)),
    (USERS, "/users/{user_id}/edit", user_update, ("POST",)),
    (USERS, "/users/{user_id}/disable", user_disable, ("POST",)),
    (USERS, "/users/{user_id}/enable", user_enable, ("POST",)),
)
