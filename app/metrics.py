"""The process's Prometheus metrics (``/metrics``), one place for all of them.

Every label value comes from a closed set chosen here (transports, operation classes, HTTP
statuses and close codes we send, delivery outcomes, contract error codes), never from what a
client sent, so a caller cannot grow the series count. Gauges about shared state (webhook
queue, outbox) are read from the store when scraped.

Each process serves its own metrics; with several uvicorn workers in one container set
``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, wiped before start) and every worker's
``/metrics`` answers for all of them (README "Operating Reelhouse").
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

OPERATION_CLASSES = frozenset({"query", "mutation", "subscription", "connection", "other"})
REFUSAL_CODES = frozenset({"RATE_LIMIT_EXCEEDED", "QUOTA_EXCEEDED"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter(
    "reelhouse_requests",
    "Calls served, by transport, operation class and status.",
    ["transport", "operation", "status"],
)
LATENCY = Histogram(
    "reelhouse_request_duration_seconds",
    "Time to serve a call (a subscription: its whole life is left out).",
    ["transport", "operation"],
    buckets=LATENCY_BUCKETS,
)
REFUSALS = Counter(
    "reelhouse_traffic_refusals", "Calls refused by rate limits and quotas.", ["code"]
)
AUDIT_BUFFER = Gauge(
    "reelhouse_audit_buffer_depth",
    "Audit records waiting to be written.",
    multiprocess_mode="livesum",
)
AUDIT_FLUSH = Histogram(
    "reelhouse_audit_flush_seconds",
    "Time to write one batch of audit records.",
    buckets=LATENCY_BUCKETS,
)
AUDIT_WRITTEN = Counter("reelhouse_audit_records_written", "Audit records written.")
WEBHOOK_DELIVERIES = Counter(
    "reelhouse_webhook_attempts",
    "Webhook delivery attempts, by outcome (succeeded, retry, dead, unauthorised).",
    ["outcome"],
)
WEBHOOKS_PENDING = Gauge(
    "reelhouse_webhook_deliveries_pending",
    "Webhook deliveries waiting to be sent (all organisations).",
    multiprocess_mode="mostrecent",
)
WEBHOOK_OLDEST_PENDING = Gauge(
    "reelhouse_webhook_oldest_pending_age_seconds",
    "Age of the oldest pending webhook delivery (0: none).",
    multiprocess_mode="mostrecent",
)
WEBHOOK_MOST_OVERDUE = Gauge(
    "reelhouse_webhook_most_overdue_seconds",
    "How long the most overdue pending delivery has been due without being sent (0: none): "
    "above a minute or so, senders are stuck or missing.",
    multiprocess_mode="mostrecent",
)
EVENTS_UNDISPATCHED = Gauge(
    "reelhouse_events_undispatched",
    "Outbox events not yet dispatched to subscribers and webhooks.",
    multiprocess_mode="mostrecent",
)
SUBSCRIPTIONS_OPEN = Gauge(
    "reelhouse_subscriptions_open",
    "GraphQL subscriptions running in this process.",
    multiprocess_mode="livesum",
)
DB_POOL_IN_USE = Gauge(
    "reelhouse_db_connections_in_use",
    "Database connections checked out of the pool.",
    multiprocess_mode="livesum",
)


def operation_class(value: str | None) -> str:
    return value if value in OPERATION_CLASSES else "other"


def exposition() -> tuple[bytes, str]:
    """The text format of every metric: this process's, or every worker's in multiprocess
    mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
