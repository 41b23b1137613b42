"""The one entry point of auditing: ``Auditor.begin`` when a call arrives, ``Auditor.end``
when it is answered. Ending a call writes its record (through the buffered writer), its one
log line and its metrics, so the three always agree.

A call that writes has its record written inside its request's transaction instead
(``app.audit.operations.record_with_writes``), so a committed change always has its record.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from app import metrics
from app.audit.records import AuditDraft
from app.audit.redaction import scrub
from app.audit.writer import AuditWriter
from app.auth.network import Network, client_address
from app.correlation import Correlation
from app.database import Database
from app.http.headers import headers
from app.models.audit import Transport
from app.types import Scope

access_log = logging.getLogger("reelhouse.access")

OAUTH_PREFIXES = ("/oauth/", "/.well-known/")
UNRECORDED_PATHS = frozenset({"/health", "/ready", "/metrics", "/favicon.ico"})
UNRECORDED_PREFIXES = ("/static/", "/docs")
"""Probes, metrics scrapes and documentation: no caller's data, no organisation, and often
many a minute; their traffic shows in the metrics instead."""


def transport_of(scope: Scope, inbound_prefix: str) -> Transport:
    path: str = scope["path"]
    if scope["type"] == "websocket":
        return Transport.WEBSOCKET
    if path == "/graphql":
        return Transport.GRAPHQL
    if path == "/v1" or path.startswith("/v1/"):
        return Transport.REST
    if path.startswith(OAUTH_PREFIXES):
        return Transport.OAUTH
    if path == "/console" or path.startswith("/console/"):
        return Transport.CONSOLE
    if path.startswith(inbound_prefix):
        return Transport.WEBHOOK
    return Transport.HTTP


def recorded(scope: Scope) -> bool:
    path: str = scope["path"]
    return path not in UNRECORDED_PATHS and not path.startswith(UNRECORDED_PREFIXES)


class Auditor:
    def __init__(
        self,
        db: Database,
        *,
        trusted_proxies: Sequence[Network] = (),
        inbound_prefix: str = "/webhooks/",
        capacity: int = 10_000,
        batch_size: int = 500,
        interval: float = 0.2,
    ) -> None:
        self.writer = AuditWriter(
            db,
            capacity=capacity,
            batch_size=batch_size,
            interval=interval,
            observe=_observe_flush,
        )
        self.trusted_proxies = tuple(trusted_proxies)
        self.inbound_prefix = inbound_prefix
        self._ending: set[asyncio.Task[None]] = set()

    def begin(self, scope: Scope, correlation: Correlation) -> AuditDraft:
        client = scope.get("client")
        address = client_address(
            client[0] if client else None,
            headers(scope, b"x-forwarded-for"),
            self.trusted_proxies,
        )
        return AuditDraft(
            correlation=correlation,
            transport=transport_of(scope, self.inbound_prefix),
            path=scrub(scope["path"], limit=None),
            method=scope.get("method") if scope["type"] == "http" else "GET",
            client_ip=str(address) if address is not None else None,
        )

    def subscription(self, connection: AuditDraft) -> AuditDraft:
        """The record of one subscription on a WebSocket connection: its own id, the
        connection's request id, caller and address."""
        return AuditDraft(
            correlation=connection.correlation,
            transport=Transport.WEBSOCKET,
            path=connection.path,
            client_ip=connection.client_ip,
            principal=connection.principal,
        )

    async def started(self, draft: AuditDraft) -> None:
        """Record a long call (a WebSocket connection, a subscription) as begun; ``end``
        completes the same record."""
        await self.writer.submit(draft)

    async def end(self, draft: AuditDraft, status: int) -> None:
        """Log and count the call, and queue its record unless its write transaction already
        holds it."""
        draft.finish(status)
        _log(draft)
        _count(draft)
        if not draft.persisted:
            await self.writer.submit(draft)
        metrics.AUDIT_BUFFER.set(self.writer.depth)

    def end_soon(self, draft: AuditDraft, status: int) -> None:
        """``end`` from a task of its own: for a call cut short (shutdown) or broken, whose own
        task is unwinding; ``close`` waits for it."""
        task = asyncio.get_running_loop().create_task(self.end(draft, status))
        self._ending.add(task)
        task.add_done_callback(self._ending.discard)

    async def close(self, seconds: float) -> None:
        """Write every record of calls served so far (the lifespan's shutdown)."""
        if self._ending:
            await asyncio.wait(list(self._ending), timeout=seconds)
        await self.writer.close(seconds)
        metrics.AUDIT_BUFFER.set(0)


def _observe_flush(rows: int, seconds: float) -> None:
    metrics.AUDIT_FLUSH.observe(seconds)
    metrics.AUDIT_WRITTEN.inc(rows)


def _operation_class(draft: AuditDraft) -> str:
    if draft.transport is Transport.WEBSOCKET and draft.method is not None:
        return "connection"
    return metrics.operation_class(draft.operation_type)


def _count(draft: AuditDraft) -> None:
    operation = _operation_class(draft)
    status = str(draft.status)
    metrics.REQUESTS.labels(draft.transport.value, operation, status).inc()
    if operation not in ("subscription", "connection"):
        metrics.LATENCY.labels(draft.transport.value, operation).observe(
            (draft.duration_ms or 0) / 1000
        )
    for code in draft.error_codes:
        if code in metrics.REFUSAL_CODES:
            metrics.REFUSALS.labels(code).inc()


def _log(draft: AuditDraft) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    status = draft.status or 0
    level = logging.ERROR if status >= 500 and status < 1000 else logging.INFO
    access_log.log(
        level,
        "%s %s %s %s",
        draft.method or "-",
        draft.path,
        status,
        draft.operation or "-",
        extra={
            "fields": {
                "audit_id": draft.id,
                "credential_id": draft.credential_id,
                "org_id": draft.principal.org_id if draft.principal else draft.org_id,
                "transport": draft.transport.value,
                "method": draft.method,
                "path": draft.path,
                "operation": draft.operation,
                "status": draft.status,
                "error_codes": draft.error_codes or None,
                "duration_ms": draft.duration_ms,
                "cost": draft.cost,
                "client_ip": draft.client_ip,
            }
        },
    )
