"""Webhook endpoints: list, create (the signing secret shown once) and edit with an event-type
picker from the catalogue, enable and disable, rotate the secret, and the Test button: a signed
``webhook.test`` through ``sendTestWebhook``, its request and response shown inline."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from app.auth.scopes import Scope
from app.events import catalogue
from console.app import Refused, View
from console.graphql import UserErrors, listing, mutation
from console.inputs import BadField, checked, integer, lines, optional_text, text
from console.keys import GRACE_CHOICES
from console.sections import WEBHOOKS

ENDPOINT_FIELDS = """
  id url description enabled disabledReason eventTypes projectIds eventVersion rateLimit
  subscriptionQuery failingSince previousSecretExpiresAt createdAt updatedAt
"""

ATTEMPT_FIELDS = """
  attempt startedAt durationMs statusCode succeeded responseExcerpt error nextAttemptAt
  requestBody requestHeaders { name value } responseHeaders { name value }
"""

LIST = listing("ConsoleWebhookEndpoints", "webhookEndpoints", ENDPOINT_FIELDS)

ONE = f"""
query ConsoleWebhookEndpoint($id: ID!) {{
  webhookEndpoint(id: $id) {{
    {ENDPOINT_FIELDS}
    deliveries(first: 10) {{
      nodes {{ id eventType status attemptCount lastStatusCode createdAt isTest }}
    }}
  }}
}}"""

PROJECTS = "query ConsoleProjects { projects(first: 100) { nodes { id name slug } } }"

ENDPOINT = f"webhookEndpoint {{ {ENDPOINT_FIELDS} }}"
CREATE = mutation("createWebhookEndpoint", "CreateWebhookEndpointInput", f"{ENDPOINT} secret")
UPDATE = mutation("updateWebhookEndpoint", "UpdateWebhookEndpointInput", ENDPOINT)
ROTATE = mutation("rotateWebhookSecret", "RotateWebhookSecretInput", f"{ENDPOINT} secret")
TEST = mutation(
    "sendTestWebhook",
    "SendTestWebhookInput",
    f"delivery {{ id messageId status }} attempt {{ {ATTEMPT_FIELDS} }}",
)

FIELDS = ["url", "description", "eventTypes", "projectIds", "eventVersion", "subscriptionQuery"]
"""Form fields whose API errors are shown next to them (the rest at the form's top)."""

KNOWN = frozenset(catalogue.BY_TYPE)


async def _projects(view: View) -> list[dict[str, Any]]:
    if not view.may(Scope.PROJECTS_READ):
        return []
    nodes: list[dict[str, Any]] = (await view.api.query(PROJECTS))["projects"]["nodes"]
    return nodes


def _values(form: dict[str, str]) -> dict[str, Any]:
    """The endpoint a form describes: ticked types and typed patterns; none means every type."""
    types = checked(form, "event:") + (lines(form, "patterns") or [])
    return {
        "url": text(form, "url"),
        "description": text(form, "description"),
        "eventTypes": types or ["*"],
        "projectIds": checked(form, "project:") or None,
        "eventVersion": integer(form, "eventVersion"),
        "subscriptionQuery": optional_text(form, "subscriptionQuery"),
    }


def _form_of(endpoint: dict[str, Any]) -> dict[str, str]:
    """An endpoint as its edit form shows it."""
    form = {
        "url": endpoint["url"],
        "description": endpoint["description"],
        "eventVersion": str(endpoint["eventVersion"]),
        "subscriptionQuery": endpoint["subscriptionQuery"] or "",
        "patterns": "\n".join(t for t in endpoint["eventTypes"] if t not in KNOWN and t != "*"),
    }
    form.update({f"event:{t}": "on" for t in endpoint["eventTypes"] if t in KNOWN})
    form.update({f"project:{p}": "on" for p in endpoint["projectIds"] or []})
    return form


def _picker(form: dict[str, str]) -> dict[str, Any]:
    return {
        "groups": catalogue.groups(),
        "form": form,
        "selected_projects": checked(form, "project:"),
    }


async def endpoint_list(view: View) -> Response:
    endpoints, page = await view.page(LIST, "webhookEndpoints")
    return view.render("webhooks.html", endpoints=endpoints, page=page)


async def _new_form(
    view: View, status: int = 200, form: dict[str, str] | None = None, errors: Any = None
) -> Response:
    view.require_manage()
    return view.render(
        "webhook_new.html",
        status,
        projects=await _projects(view),
        errors=errors or UserErrors(),
        fields=FIELDS,
        **_picker(form or {"eventVersion": "1"}),
    )


async def endpoint_new(view: View) -> Response:
    return await _new_form(view)


async def endpoint_create(view: View) -> Response:
    form = await view.action()
    try:
        values = {**_values(form), "enabled": bool(form.get("enabled"))}
    except BadField as bad:
        return await _new_form(view, 422, form, bad.errors)
    payload, errors = await view.api.mutate(CREATE, {"input": values})
    if errors:
        return await _new_form(view, 422, form, errors)
    endpoint = payload["webhookEndpoint"]
    return view.render(
        "webhook_secret.html",
        endpoint=endpoint,
        secret=payload["secret"],
        heading="Webhook endpoint created",
    )


async def _detail(
    view: View,
    status: int = 200,
    *,
    form: dict[str, str] | None = None,
    errors: UserErrors | None = None,
    test: dict[str, Any] | None = None,
) -> Response:
    endpoint_id = view.request.path_params["endpoint_id"]
    endpoint = (await view.api.query(ONE, {"id": endpoint_id}))["webhookEndpoint"]
    if endpoint is None:
        raise Refused(404, "Endpoint not found", "There is no webhook endpoint with this id.")
    return view.render(
        "webhook.html",
        status,
        endpoint=endpoint,
        projects=await _projects(view) if view.manages else [],
        errors=errors or UserErrors(),
        fields=FIELDS,
        grace_choices=GRACE_CHOICES,
        test=test,
        **_picker(form if form is not None else _form_of(endpoint)),
    )


async def endpoint_detail(view: View) -> Response:
    return await _detail(view)


async def endpoint_update(view: View) -> Response:
    form = await view.action()
    endpoint_id = view.request.path_params["endpoint_id"]
    try:
        values = {"id": endpoint_id, **_values(form)}
    except BadField as bad:
        return await _detail(view, 422, form=form, errors=bad.errors)
    if values["eventVersion"] is None:
        values.pop("eventVersion")
    _, errors = await view.api.mutate(UPDATE, {"input": values})
    if errors:
        return await _detail(view, 422, form=form, errors=errors)
    return view.redirect(f"{WEBHOOKS.path}/{endpoint_id}?saved=1")


async def _switch(view: View, enabled: bool) -> Response:
    await view.action()
    endpoint_id = view.request.path_params["endpoint_id"]
    variables = {"input": {"id": endpoint_id, "enabled": enabled}}
    _, errors = await view.api.mutate(UPDATE, variables)
    if errors:
        return await _detail(view, 422, errors=errors)
    return view.redirect(f"{WEBHOOKS.path}/{endpoint_id}?{'enabled' if enabled else 'disabled'}=1")


async def endpoint_enable(view: View) -> Response:
    return await _switch(view, True)


async def endpoint_disable(view: View) -> Response:
    return await _switch(view, False)


async def endpoint_rotate(view: View) -> Response:
    form = await view.action()
    try:
        grace = integer(form, "gracePeriodSeconds")
    except BadField as bad:
        return await _detail(view, 422, errors=bad.errors)
    variables = {
        "input": {"id": view.request.path_params["endpoint_id"], "gracePeriodSeconds": grace}
    }
    payload, errors = await view.api.mutate(ROTATE, variables)
    if errors:
        return await _detail(view, 422, errors=errors)
    return view.render(
        "webhook_secret.html",
        endpoint=payload["webhookEndpoint"],
        secret=payload["secret"],
        heading="Signing secret rotated",
    )


async def endpoint_test(view: View) -> Response:
    """Send the test now and show this page again with its request and response."""
    await view.action()
    variables = {"input": {"endpointId": view.request.path_params["endpoint_id"]}}
    payload, errors = await view.api.mutate(TEST, variables)
    if errors:
        return await _detail(view, 422, errors=errors)
    return await _detail(
        view, test={"delivery": payload["delivery"], "attempt": payload["attempt"]}
    )


ROUTES = (
    (WEBHOOKS, "/webhooks", endpoint_list, ("GET",)),
    (WEBHOOKS, "/webhooks/new", endpoint_new, ("GET",)),
    (WEBHOOKS, "/webhooks/new", endpoint_create, ("POST",)),
    (WEBHOOKS, "/webhooks/{endpoint_id}", endpoint_detail, ("GET",)),
    (WEBHOOKS, "/webhooks/{endpoint_id}/edit", endpoint_update, ("POST",)),
    (WEBHOOKS, "/webhooks/{endpoint_id}/enable", endpoint_enable, ("POST",)),
    (WEBHOOKS, "/webhooks/{endpoint_id}/disable", endpoint_disable, ("POST",)),
    (WEBHOOKS, "/webhooks/{endpoint_id}/rotate", endpoint_rotate, ("POST",)),
    (WEBHOOKS, "/webhooks/{endpoint_id}/test", endpoint_test, ("POST",)),
)
