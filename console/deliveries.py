"""Webhook deliveries: filtered by endpoint, status, event type and time; each with every
attempt's request, response and error; redeliver one; replay a time range after previewing how
many events it sends (``replayWebhookEvents`` with ``dryRun``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from app.clock import utcnow
from app.errors import ApiError
from app.events import catalogue
from console.app import Refused, View
from console.graphql import UserErrors, mutation
from console.inputs import BadField, kept, lines, moment, text
from console.sections import DELIVERIES
from console.webhooks import ATTEMPT_FIELDS

STATUSES = ("PENDING", "SUCCEEDED", "DEAD")
FILTERS = ("endpointId", "status", "eventTypes", "createdAfter", "createdBefore")

DELIVERY_FIELDS = """
  id endpointId eventId messageId eventType aggregateId sequence status attemptCount
  nextAttemptAt lastStatusCode lastError isTest createdAt finishedAt endpoint { id url }
"""

LIST = f"""
query ConsoleWebhookDeliveries($filter: WebhookDeliveryFilter, $after: String) {{
  webhookDeliveries(first: 50, after: $after, filter: $filter) {{
    nodes {{ {DELIVERY_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
  webhookEndpoints(first: 100) {{ nodes {{ id url }} }}
}}"""

ENDPOINTS = "query ConsoleEndpointChoices { webhookEndpoints(first: 100) { nodes { id url } } }"

ONE = f"""
query ConsoleWebhookDelivery($id: ID!) {{
  webhookDelivery(id: $id) {{ {DELIVERY_FIELDS} attempts {{ {ATTEMPT_FIELDS} }} }}
}}"""

REDELIVER = mutation("redeliverWebhook", "RedeliverWebhookInput", "delivery { id status }")
REPLAY = mutation("replayWebhookEvents", "ReplayWebhookEventsInput", "count")


def _filter(params: dict[str, str]) -> dict[str, Any]:
    """The query's ``filter`` from the page's query string (names as in GraphQL)."""
    status = text(params, "status")
    return {
        "endpointId": text(params, "endpointId") or None,
        "status": status if status in STATUSES else None,
        "eventTypes": lines(params, "eventTypes"),
        "createdAfter": moment(params, "createdAfter"),
        "createdBefore": moment(params, "createdBefore"),
    }


async def delivery_list(
    view: View,
    status: int = 200,
    *,
    replay: dict[str, str] | None = None,
    replay_errors: UserErrors | None = None,
    preview: int | None = None,
) -> Response:
    params = dict(view.request.query_params)
    errors = UserErrors()
    deliveries: list[dict[str, Any]] = []
    page: dict[str, Any] = {"hasNextPage": False}
    endpoints: list[dict[str, Any]]
    try:
        variables = {"filter": _filter(params), "after": params.get("after") or None}
        data = await view.api.query(LIST, variables)
    except BadField as bad:
        errors, status = bad.errors, 422
        endpoints = (await view.api.query(ENDPOINTS))["webhookEndpoints"]["nodes"]
    except ApiError as error:
        errors, status = UserErrors.refused(error), 422
        endpoints = (await view.api.query(ENDPOINTS))["webhookEndpoints"]["nodes"]
    else:
        deliveries = data["webhookDeliveries"]["nodes"]
        page = data["webhookDeliveries"]["pageInfo"]
        endpoints = data["webhookEndpoints"]["nodes"]
    next_page = (
        "?" + urlencode({**kept(params, FILTERS), "after": page["endCursor"]})
        if page["hasNextPage"]
        else None
    )
    return view.render(
        "deliveries.html",
        status,
        deliveries=deliveries,
        endpoints=endpoints,
        statuses=STATUSES,
        types=[entry.type for entry in catalogue.CATALOGUE],
        params=params,
        errors=errors,
        next_page=next_page,
        replay=replay or {"endpointId": params.get("endpointId", "")},
        replay_errors=replay_errors or UserErrors(),
        preview=preview,
    )


async def delivery_index(view: View) -> Response:
    return await delivery_list(view)


async def replay_events(view: View) -> Response:
    """``action=preview`` counts (``dryRun``), ``action=replay`` queues: without script, the
    preview page offers the replay of exactly what it counted (an open end is fixed to now)."""
    form = await view.action()
    dry_run = form.get("action") != "replay"
    try:
        values = {
            "endpointId": text(form, "endpointId"),
            "since": moment(form, "since"),
            "until": moment(form, "until"),
            "types": lines(form, "types"),
            "dryRun": dry_run,
        }
    except BadField as bad:
        return await delivery_list(view, 422, replay=form, replay_errors=bad.errors)
    if dry_run and values["until"] is None:
        now = utcnow().replace(microsecond=0) + timedelta(seconds=1)
        form["until"] = now.strftime("%Y-%m-%dT%H:%M:%S")
        values["until"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    if values["since"] is None:
        errors = UserErrors({"since": ["Choose where the replay starts."]})
        return await delivery_list(view, 422, replay=form, replay_errors=errors)
    payload, errors = await view.api.mutate(REPLAY, {"input": values})
    if errors:
        return await delivery_list(view, 422, replay=form, replay_errors=errors)
    if dry_run:
        return await delivery_list(view, replay=form, preview=payload["count"])
    query = urlencode({"endpointId": values["endpointId"], "replayed": payload["count"]})
    return view.redirect(f"{DELIVERIES.path}?{query}")


async def _detail(view: View, status: int = 200, errors: UserErrors | None = None) -> Response:
    delivery_id = view.request.path_params["delivery_id"]
    delivery = (await view.api.query(ONE, {"id": delivery_id}))["webhookDelivery"]
    if delivery is None:
        raise Refused(404, "Delivery not found", "There is no webhook delivery with this id.")
    return view.render(
        "delivery.html",
        status,
        delivery=delivery,
        attempts=list(reversed(delivery["attempts"])),
        errors=errors or UserErrors(),
    )


async def delivery_detail(view: View) -> Response:
    return await _detail(view)


async def delivery_redeliver(view: View) -> Response:
    await view.action()
    delivery_id = view.request.path_params["delivery_id"]
    _, errors = await view.api.mutate(REDELIVER, {"input": {"deliveryId": delivery_id}})
    if errors:
        return await _detail(view, 422, errors)
    return view.redirect(f"{DELIVERIES.path}/{delivery_id}?redelivered=1")


ROUTES = (
    (DELIVERIES, "/deliveries", delivery_index, ("GET",)),
    (DELIVERIES, "/deliveries/replay", replay_events, ("POST",)),
    (DELIVERIES, "/deliveries/{delivery_id}", delivery_detail, ("GET",)),
    (DELIVERIES, "/deliveries/{delivery_id}/redeliver", delivery_redeliver, ("POST",)),
)
