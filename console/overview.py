"""The overview: today's usage against the quotas, the signed-in person's rate limits, jobs by
status and webhook health (success rate over 24 h, queue depth, disabled endpoints); each panel
only when the role reads it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.responses import Response

from app.auth.scopes import Scope
from app.clock import utcnow
from app.errors import ApiError, ErrorCode
from console.app import View
from console.charts import BarChart, bar_chart
from console.sections import OVERVIEW

JOB_STATUSES = ("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED")
JOB_TONES = {"FAILED": "bad", "SUCCEEDED": "ok", "RUNNING": "warn"}
COUNT_LIMIT = 10
"""Job counts are read as pages of ids: beyond this many the panel says "10+"."""
SAMPLE = 25
"""Deliveries read per kind (queued, succeeded and dead-lettered in 24 h), newest first."""
ENDPOINTS_SHOWN = 20

_JOB_COUNTS = "\n".join(
    f"  {s.lower()}: jobs(first: {COUNT_LIMIT}, filter: {{status: {s}}}) @include(if: $jobs) "
    "{ nodes { id } pageInfo { hasNextPage } }"
    for s in JOB_STATUSES
)

LIMITS = """
query ConsoleRateLimits {
  rateLimit {
    read { limit remaining restoreRate resetAt }
    write { limit remaining restoreRate resetAt }
  }
}"""
"""Its own query, so a panel the API cannot answer (a limit configured past GraphQL's 32-bit
`Int`) says so alone instead of taking the page down."""

_SAMPLE = f"(first: {SAMPLE}, filter: {{status: %s%s}}) @include(if: $webhooks) " + (
    "{ nodes { endpointId } pageInfo { hasNextPage } }"
)

OVERVIEW_QUERY = f"""
query ConsoleOverview($jobs: Boolean!, $webhooks: Boolean!, $usage: Boolean!, $since: DateTime!) {{
  usage @include(if: $usage) {{
    day resetsAt requests requestQuota webhookDeliveries webhookDeliveryQuota
    credentials {{ credentialId requests }}
  }}
  apiKeys(first: {SAMPLE}) @include(if: $usage) {{ nodes {{ id name }} }}
{_JOB_COUNTS}
  webhookEndpoints(first: {ENDPOINTS_SHOWN}) @include(if: $webhooks) {{
    nodes {{ id url enabled disabledReason failingSince }}
  }}
  pendingDeliveries: webhookDeliveries{_SAMPLE % ("PENDING", "")}
  deliveredDay: webhookDeliveries{_SAMPLE % ("SUCCEEDED", ", createdAfter: $since")}
  deadDay: webhookDeliveries{_SAMPLE % ("DEAD", ", createdAfter: $since")}
}}"""
"""One read that costs about a fifth of a console user's per-minute read budget (the
default 1,000 points): counts are samples, shown as "25+" past them."""


def _count(connection: dict[str, Any]) -> tuple[int, str]:
    count = len(connection["nodes"])
    more = connection["pageInfo"]["hasNextPage"]
    return count, f"{count}+" if more else str(count)


def _per_endpoint(connection: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """A sample's deliveries by endpoint, each count with "+" when the sample was full."""
    counts: dict[str, int] = {}
    for node in connection["nodes"]:
        counts[node["endpointId"]] = counts.get(node["endpointId"], 0) + 1
    more = "+" if connection["pageInfo"]["hasNextPage"] else ""
    return {endpoint: (n, f"{n}{more}") for endpoint, n in counts.items()}


def _share(used: int, quota: int) -> tuple[float, str, str]:
    fraction = used / quota if quota > 0 else 0.0
    tone = "bad" if fraction >= 0.9 else "warn" if fraction >= 0.7 else "ok"
    return fraction, f"{fraction * 100:.1f} %", tone


def _usage_chart(usage: dict[str, Any]) -> BarChart:
    rows = []
    for label, used, quota in (
        ("requests", usage["requests"], usage["requestQuota"]),
        ("deliveries", usage["webhookDeliveries"], usage["webhookDeliveryQuota"]),
    ):
        fraction, shown, tone = _share(used, quota)
        rows.append((label, fraction, shown, tone))
    return bar_chart("Today's usage against the daily quotas", rows, scale=1.0)


def _limits_chart(limits: dict[str, Any]) -> BarChart:
    rows = []
    for name in ("read", "write"):
        bucket = limits[name]
        left = bucket["remaining"] / bucket["limit"] if bucket["limit"] > 0 else 0.0
        tone = "ok" if left >= 0.3 else "warn" if left >= 0.1 else "bad"
        rows.append((name, left, f"{left * 100:.0f} % left", tone))
    return bar_chart("Your rate limits: points left", rows, scale=1.0)


async def overview(view: View) -> Response:
    jobs, webhooks = view.may(Scope.JOBS_READ), view.may(Scope.WEBHOOKS_READ)
    usage = view.may(Scope.KEYS_READ)
    since = (utcnow() - timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%SZ")
    variables = {"jobs": jobs, "webhooks": webhooks, "usage": usage, "since": since}
    data = await view.api.query(OVERVIEW_QUERY, variables)
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
        queued = _per_endpoint(data["pendingDeliveries"])
        delivered = _per_endpoint(data["deliveredDay"])
        dead = _per_endpoint(data["deadDay"])
        for node in data["webhookEndpoints"]["nodes"]:
            pending, pending_shown = queued.get(node["id"], (0, "0"))
            succeeded, _ = delivered.get(node["id"], (0, "0"))
            failed, dead_shown = dead.get(node["id"], (0, "0"))
            sent = succeeded + failed
            endpoints.append(
                {
                    **node,
                    "pending_shown": pending_shown,
                    "dead_shown": dead_shown,
                    "success_rate": succeeded / sent if sent else None,
                    "sent_24h": sent,
                }
            )
            rows.append((node["url"], float(pending), pending_shown, "warn" if pending else "ok"))
        queue_chart = bar_chart("Queue depth per endpoint", rows)
    names = {k["id"]: k["name"] for k in data["apiKeys"]["nodes"]} if usage else {}
    limits, limits_error = None, None
    try:
        limits = (await view.api.query(LIMITS))["rateLimit"]
    except ApiError as error:
        if error.code is ErrorCode.INTERNAL:
            raise
        limits_error = error.message
    return view.render(
        "overview.html",
        usage=data.get("usage"),
        usage_chart=_usage_chart(data["usage"]) if usage else None,
        limits=limits,
        limits_chart=_limits_chart(limits) if limits else None,
        limits_error=limits_error,
        key_names=names,
        job_chart=job_chart,
        endpoints=endpoints,
        queue_chart=queue_chart,
        disabled=[e for e in endpoints if not e["enabled"]],
    )


ROUTES = ((OVERVIEW, "/", overview, ("GET",)),)
