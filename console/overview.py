"""The overview: jobs by status and webhook health, each panel only when the role reads it."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from app.auth.scopes import Scope
from console.app import View
from console.charts import bar_chart
from console.sections import OVERVIEW

JOB_STATUSES = ("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED")
JOB_TONES = {"FAILED": "bad", "SUCCEEDED": "ok", "RUNNING": "warn"}
COUNT_LIMIT = 100
"""Counts are read as pages of ids: beyond this many the panel says "100+"."""

_JOB_COUNTS = "\n".join(
    f"  {s.lower()}: jobs(first: {COUNT_LIMIT}, filter: {{status: {s}}}) @include(if: $jobs) "
    "{ nodes { id } pageInfo { hasNextPage } }"
    for s in JOB_STATUSES
)

OVERVIEW_QUERY = f"""
query ConsoleOverview($jobs: Boolean!, $webhooks: Boolean!) {{
  viewer {{ credentialKind scopes projectIds }}
{_JOB_COUNTS}
  webhookEndpoints(first: 50) @include(if: $webhooks) {{
    nodes {{
      id url enabled disabledReason failingSince
      pending: deliveries(status: PENDING, first: {COUNT_LIMIT}) {{
        nodes {{ id }} pageInfo {{ hasNextPage }}
      }}
      dead: deliveries(status: DEAD, first: {COUNT_LIMIT}) {{
        nodes {{ id }} pageInfo {{ hasNextPage }}
      }}
    }}
  }}
}}"""


def _count(connection: dict[str, Any]) -> tuple[int, str]:
    count = len(connection["nodes"])
    more = connection["pageInfo"]["hasNextPage"]
    return count, f"{count}+" if more else str(count)


async def overview(view: View) -> Response:
    jobs, webhooks = view.may(Scope.JOBS_READ), view.may(Scope.WEBHOOKS_READ)
    data = await view.api.query(OVERVIEW_QUERY, {"jobs": jobs, "webhooks": webhooks})
    job_chart = None
    if jobs:
        rows = []
        for status in JOB_STATUSES:
            count, shown = _count(data[status.lower()])
            rows.append((status.lower(), float(count), shown, JOB_TONES.get(status, "neutral")))
        job_chart = bar_chart("Jobs by status", rows)
    endpoints: list[dict[str, Any]] = []
    queue_chart = None
    if webhooks:
        rows = []
        for node in data["webhookEndpoints"]["nodes"]:
            pending, pending_shown = _count(node["pending"])
            _, dead_shown = _count(node["dead"])
            endpoints.append({**node, "pending_shown": pending_shown, "dead_shown": dead_shown})
            rows.append((node["url"], float(pending), pending_shown, "warn" if pending else "ok"))
        queue_chart = bar_chart("Queue depth per endpoint", rows)
    return view.render(
        "overview.html",
        job_chart=job_chart,
        endpoints=endpoints,
        queue_chart=queue_chart,
        disabled=[e for e in endpoints if not e["enabled"]],
    )


ROUTES = ((OVERVIEW, "/", overview, ("GET",)),)
