"""API keys: list, create (the secret shown once), edit limits, rotate with a grace period,
revoke. Every action is the API's own mutation."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from app.auth.scopes import Scope
from console.app import Refused, View
from console.graphql import UserErrors, listing, mutation
from console.inputs import BadField, checked, confirmation, day, integer, lines, scope_groups, text
from console.sections import KEYS

KEY_FIELDS = """
  id name description prefix last4 scopes projectIds allowedCidrs readRateLimit writeRateLimit
  expiresAt revokedAt lastUsedAt testMode status createdAt
"""

LIST = listing("ConsoleApiKeys", "apiKeys", KEY_FIELDS)

ONE = f"""
query ConsoleApiKey($id: ID!) {{
  apiKey(id: $id) {{ {KEY_FIELDS} }}
}}"""

PROJECTS = """
query ConsoleProjects { projects(first: 100) { nodes { id name slug } } }
"""

CREATE = mutation("createApiKey", "CreateApiKeyInput", f"apiKey {{ {KEY_FIELDS} }} secret")
UPDATE = mutation("updateApiKey", "UpdateApiKeyInput", f"apiKey {{ {KEY_FIELDS} }}")
ROTATE = mutation(
    "rotateApiKey",
    "RotateApiKeyInput",
    f"apiKey {{ {KEY_FIELDS} }} secret previousSecretExpiresAt",
)
REVOKE = mutation("revokeApiKey", "RevokeApiKeyInput", f"apiKey {{ {KEY_FIELDS} }}")

GRACE_CHOICES: tuple[tuple[int, str], ...] = (
    (0, "None: the old secret stops working now"),
    (3600, "1 hour"),
    (86400, "24 hours"),
    (604800, "7 days"),
)


def _offered(view: View) -> list[Scope]:
    """The scopes this person could give a key: never more than they hold."""
    return [s for s in Scope if view.may(s)]


async def _projects(view: View) -> list[dict[str, Any]]:
    if not view.may(Scope.PROJECTS_READ):
        return []
    nodes: list[dict[str, Any]] = (await view.api.query(PROJECTS))["projects"]["nodes"]
    return nodes


async def key_list(view: View) -> Response:
    keys, page = await view.page(LIST, "apiKeys")
    return view.render("keys.html", keys=keys, page=page)


def _limits(form: dict[str, str], projects_offered: bool) -> dict[str, Any]:
    values: dict[str, Any] = {
        "description": text(form, "description"),
        "allowedCidrs": lines(form, "allowedCidrs"),
        "expiresAt": day(form, "expiresAt"),
        "readRateLimit": integer(form, "readRateLimit"),
        "writeRateLimit": integer(form, "writeRateLimit"),
    }
    if projects_offered:
        values["projectIds"] = checked(form, "project:") or None
    return values


async def _new_form(
    view: View, status: int = 200, form: dict[str, str] | None = None, errors: Any = None
) -> Response:
    view.require_manage()
    return view.render(
        "key_new.html",
        status,
        groups=scope_groups(_offered(view)),
        projects=await _projects(view),
        form=form or {},
        values=form or {},
        selected_projects=checked(form or {}, "project:"),
        errors=errors or UserErrors(),
    )


async def key_new(view: View) -> Response:
    return await _new_form(view)


async def key_create(view: View) -> Response:
    form = await view.action()
    try:
        values = {
            "name": text(form, "name"),
            "scopes": checked(form, "scope:"),
            "testMode": bool(form.get("testMode")),
            **_limits(form, view.may(Scope.PROJECTS_READ)),
        }
    except BadField as bad:
        return await _new_form(view, 422, form, bad.errors)
    payload, errors = await view.api.mutate(CREATE, {"input": values})
    if errors:
        return await _new_form(view, 422, form, errors)
    return view.render(
        "key_secret.html",
        key=payload["apiKey"],
        secret=payload["secret"],
        heading="API key created",
        expires_previous=None,
    )


async def _detail(
    view: View,
    status: int = 200,
    *,
    form: dict[str, str] | None = None,
    errors: UserErrors | None = None,
    action: str = "",
) -> Response:
    key = (await view.api.query(ONE, {"id": view.request.path_params["key_id"]}))["apiKey"]
    if key is None:
        raise Refused(404, "Key not found", "There is no API key with this id.")
    if form is not None:
        values, selected = form, checked(form, "project:")
    else:
        values, selected = _values_of(key), key["projectIds"] or []
    return view.render(
        "key.html",
        status,
        key=key,
        projects=await _projects(view) if view.manages else [],
        grace_choices=GRACE_CHOICES,
        values=values,
        selected_projects=selected,
        errors=errors or UserErrors(),
        action=action,
    )


def _values_of(key: dict[str, Any]) -> dict[str, Any]:
    """A key's limits as its edit form shows them."""
    return {
        "name": key["name"],
        "description": key["description"],
        "allowedCidrs": "\n".join(key["allowedCidrs"] or []),
        "expiresAt": (key["expiresAt"] or "")[:10],
        "readRateLimit": key["readRateLimit"],
        "writeRateLimit": key["writeRateLimit"],
    }


async def key_detail(view: View) -> Response:
    return await _detail(view)


async def key_update(view: View) -> Response:
    form = await view.action()
    key_id = view.request.path_params["key_id"]
    try:
        values = {"id": key_id, "name": text(form, "name"), **_limits(form, True)}
    except BadField as bad:
        return await _detail(view, 422, form=form, errors=bad.errors, action="edit")
    if "projectIds" not in values or not view.may(Scope.PROJECTS_READ):
        values.pop("projectIds", None)
    _, errors = await view.api.mutate(UPDATE, {"input": values})
    if errors:
        return await _detail(view, 422, form=form, errors=errors, action="edit")
    return view.redirect(f"{KEYS.path}/{key_id}?saved=1")


async def key_rotate(view: View) -> Response:
    form = await view.action()
    try:
        grace = integer(form, "gracePeriodSeconds")
    except BadField as bad:
        return await _detail(view, 422, errors=bad.errors)
    variables = {"input": {"id": view.request.path_params["key_id"], "gracePeriodSeconds": grace}}
    payload, errors = await view.api.mutate(ROTATE, variables)
    if errors:
        return await _detail(view, 422, errors=errors, action="rotate")
    return view.render(
        "key_secret.html",
        key=payload["apiKey"],
        secret=payload["secret"],
        heading="API key rotated",
        expires_previous=payload["previousSecretExpiresAt"],
    )


async def key_revoke(view: View) -> Response:
    form = await view.action()
    key_id = view.request.path_params["key_id"]
    if unconfirmed := confirmation(form, "revocation"):
        return await _detail(view, 422, errors=unconfirmed, action="revoke")
    _, errors = await view.api.mutate(REVOKE, {"input": {"id": key_id}})
    if errors:
        return await _detail(view, 422, errors=errors, action="revoke")
    return view.redirect(f"{KEYS.path}/{key_id}?revoked=1")


ROUTES = (
    (KEYS, "/keys", key_list, ("GET",)),
    (KEYS, "/keys/new", key_new, ("GET",)),
    (KEYS, "/keys/new", key_create, ("POST",)),
    (KEYS, "/keys/{key_id}", key_detail, ("GET",)),
    (KEYS, "/keys/{key_id}/edit", key_update, ("POST",)),
    (KEYS, "/keys/{key_id}/rotate", key_rotate, ("POST",)),
    (KEYS, "/keys/{key_id}/revoke", key_revoke, ("POST",)),
)
