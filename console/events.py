"""The events browser: the organisation's events by type, aggregate, project and time, newest
first (the ``events`` query read backwards with ``last``/``before``), and one event's payload."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from app.errors import ApiError
from app.events import catalogue
from console.app import Refused, View
from console.graphql import UserErrors
from console.inputs import BadField, kept, lines, moment, text
from console.sections import EVENTS

FILTERS = ("types", "aggregateId", "projectId", "occurredAfter", "occurredBefore")
EVENT_FIELDS = "id type version aggregateType aggregateId sequence projectId occurredAt data"

LIST = f"""
query ConsoleEvents($filter: EventFilter, $before: String) {{
  events(last: 50, before: $before, filter: $filter) {{
    nodes {{ {EVENT_FIELDS} }}
    pageInfo {{ hasPreviousPage startCursor }}
  }}
}}"""

ONE = f"""
query ConsoleEvent($id: ID!) {{
  node(id: $id) {{ ... on Event {{ {EVENT_FIELDS} cursor }} }}
}}"""


def _filter(params: dict[str, str]) -> dict[str, Any]:
    return {
        "types": lines(params, "types"),
        "aggregateId": text(params, "aggregateId") or None,
        "projectId": text(params, "projectId") or None,
        "occurredAfter": moment(params, "occurredAfter"),
        "occurredBefore": moment(params, "occurredBefore"),
    }


async def event_list(view: View) -> Response:
    params = dict(view.request.query_params)
    errors, status = UserErrors(), 200
    events: list[dict[str, Any]] = []
    older = None
    try:
        variables = {"filter": _filter(params), "before": params.get("before") or None}
        data = (await view.api.query(LIST, variables))["events"]
    except BadField as bad:
        errors, status = bad.errors, 422
    except ApiError as error:
        errors, status = UserErrors.refused(error), 422
    else:
        events = list(reversed(data["nodes"]))
        if data["pageInfo"]["hasPreviousPage"]:
            older = "?" + urlencode(
                {**kept(params, FILTERS), "before": data["pageInfo"]["startCursor"]}
            )
    return view.render(
        "events.html",
        status,
        events=events,
        params=params,
        errors=errors,
        older=older,
        types=[entry.type for entry in catalogue.CATALOGUE],
    )


async def event_detail(view: View) -> Response:
    event_id = view.request.path_params["event_id"]
    node = (await view.api.query(ONE, {"id": event_id}))["node"]
    if not node or "type" not in node:
        raise Refused(404, "Event not found", "There is no event with this id.")
    known = catalogue.BY_TYPE.get(node["type"])
    return view.render("event.html", event=node, described=known)


ROUTES = (
    (EVENTS, "/events", event_list, ("GET",)),
    (EVENTS, "/events/{event_id}", event_detail, ("GET",)),
)
