"""OAuth clients (owners and admins): register with scopes, grant types and redirect URIs (a
confidential client's secret shown once), edit, rotate the secret, revoke."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from app.auth.scopes import Scope
from console.app import Refused, View
from console.graphql import UserErrors, listing, mutation
from console.inputs import BadField, checked, confirmation, integer, lines, scope_groups, text
from console.sections import CLIENTS

CLIENT_FIELDS = """
  id name description clientType redirectUris scopes grantTypes accessTokenLifetime
  refreshTokenLifetime secretLast4 revokedAt createdAt updatedAt
"""

LIST = listing("ConsoleOAuthClients", "oauthClients", CLIENT_FIELDS)

ONE = f"query ConsoleOAuthClient($id: ID!) {{ oauthClient(id: $id) {{ {CLIENT_FIELDS} }} }}"

CLIENT = f"oauthClient {{ {CLIENT_FIELDS} }}"
CREATE = mutation("createOauthClient", "CreateOAuthClientInput", f"{CLIENT} clientSecret")
UPDATE = mutation("updateOauthClient", "UpdateOAuthClientInput", CLIENT)
ROTATE = mutation(
    "rotateOauthClientSecret", "RotateOAuthClientSecretInput", f"{CLIENT} clientSecret"
)
REVOKE = mutation("revokeOauthClient", "RevokeOAuthClientInput", CLIENT)

GRANTS: tuple[tuple[str, str], ...] = (
    ("authorization_code", "acts for a user who signs in and consents (PKCE)"),
    ("refresh_token", "keeps acting for that user without asking again"),
    ("client_credentials", "acts for the organisation itself (confidential clients only)"),
)
FIELDS = [
    "name",
    "description",
    "clientType",
    "scopes",
    "grantTypes",
    "redirectUris",
    "accessTokenLifetime",
    "refreshTokenLifetime",
]


def _values(form: dict[str, str]) -> dict[str, Any]:
    return {
        "name": text(form, "name"),
        "description": text(form, "description"),
        "scopes": checked(form, "scope:"),
        "grantTypes": checked(form, "grant:"),
        "redirectUris": lines(form, "redirectUris") or [],
        "accessTokenLifetime": integer(form, "accessTokenLifetime"),
        "refreshTokenLifetime": integer(form, "refreshTokenLifetime"),
    }


def _form_of(client: dict[str, Any]) -> dict[str, str]:
    form = {
        "name": client["name"],
        "description": client["description"],
        "clientType": client["clientType"],
        "redirectUris": "\n".join(client["redirectUris"]),
        "accessTokenLifetime": str(client["accessTokenLifetime"] or ""),
        "refreshTokenLifetime": str(client["refreshTokenLifetime"] or ""),
    }
    form.update({f"scope:{s}": "on" for s in client["scopes"]})
    form.update({f"grant:{g}": "on" for g in client["grantTypes"]})
    return form


def _choices(view: View, form: dict[str, str]) -> dict[str, Any]:
    return {
        "groups": scope_groups([s for s in Scope if view.may(s)]),
        "grants": GRANTS,
        "form": form,
        "fields": FIELDS,
    }


async def client_list(view: View) -> Response:
    clients, page = await view.page(LIST, "oauthClients")
    return view.render("clients.html", clients=clients, page=page)


async def _new_form(
    view: View, status: int = 200, form: dict[str, str] | None = None, errors: Any = None
) -> Response:
    view.require_manage()
    chosen = form or {"clientType": "CONFIDENTIAL", "grant:authorization_code": "on"}
    return view.render(
        "client_new.html", status, errors=errors or UserErrors(), **_choices(view, chosen)
    )


async def client_new(view: View) -> Response:
    return await _new_form(view)


async def client_create(view: View) -> Response:
    form = await view.action()
    try:
        values = {**_values(form), "clientType": form.get("clientType", "")}
    except BadField as bad:
        return await _new_form(view, 422, form, bad.errors)
    payload, errors = await view.api.mutate(CREATE, {"input": values})
    if errors:
        return await _new_form(view, 422, form, errors)
    return view.render(
        "client_secret.html",
        client=payload["oauthClient"],
        secret=payload["clientSecret"],
        heading="Application registered",
    )


async def _detail(
    view: View,
    status: int = 200,
    form: dict[str, str] | None = None,
    errors: UserErrors | None = None,
) -> Response:
    client = (await view.api.query(ONE, {"id": view.request.path_params["client_id"]}))[
        "oauthClient"
    ]
    if client is None:
        raise Refused(404, "Application not found", "There is no OAuth client with this id.")
    return view.render(
        "client.html",
        status,
        client=client,
        errors=errors or UserErrors(),
        **_choices(view, form if form is not None else _form_of(client)),
    )


async def client_detail(view: View) -> Response:
    return await _detail(view)


async def client_update(view: View) -> Response:
    form = await view.action()
    client_id = view.request.path_params["client_id"]
    try:
        values = {"id": client_id, **_values(form)}
    except BadField as bad:
        return await _detail(view, 422, form, bad.errors)
    _, errors = await view.api.mutate(UPDATE, {"input": values})
    if errors:
        return await _detail(view, 422, form, errors)
    return view.redirect(f"{CLIENTS.path}/{client_id}?saved=1")


async def client_rotate(view: View) -> Response:
    await view.action()
    variables = {"input": {"id": view.request.path_params["client_id"]}}
    payload, errors = await view.api.mutate(ROTATE, variables)
    if errors:
        return await _detail(view, 422, None, errors)
    return view.render(
        "client_secret.html",
        client=payload["oauthClient"],
        secret=payload["clientSecret"],
        heading="Client secret rotated",
    )


async def client_revoke(view: View) -> Response:
    form = await view.action()
    client_id = view.request.path_params["client_id"]
    if unconfirmed := confirmation(form, "revocation"):
        return await _detail(view, 422, None, unconfirmed)
    _, errors = await view.api.mutate(REVOKE, {"input": {"id": client_id}})
    if errors:
        return await _detail(view, 422, None, errors)
    return view.redirect(f"{CLIENTS.path}/{client_id}?revoked=1")


ROUTES = (
    (CLIENTS, "/oauth-clients", client_list, ("GET",)),
    (CLIENTS, "/oauth-clients/new", client_new, ("GET",)),
    (CLIENTS, "/oauth-clients/new", client_create, ("POST",)),
    (CLIENTS, "/oauth-clients/{client_id}", client_detail, ("GET",)),
    (CLIENTS, "/oauth-clients/{client_id}/edit", client_update, ("POST",)),
    (CLIENTS, "/oauth-clients/{client_id}/rotate", client_rotate, ("POST",)),
    (CLIENTS, "/oauth-clients/{client_id}/revoke", client_revoke, ("POST",)),
)
