"""One call's audit record while it is being served (``AuditDraft``), and the row it becomes.

A draft is made when a call arrives (``app.audit.middleware``), filled in by whoever learns
something about the call (authentication: the principal; the GraphQL executor: the operation
and its arguments; traffic: the cost; the response: status and error codes) and handed to the
writer when the call ends. ``current_record()`` finds the draft of the call being served.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.auth.principal import CredentialKind, Principal
from app.clock import utcnow
from app.correlation import Correlation
from app.ids import IdPrefix, new_id
from app.models.audit import Transport
from app.types import Scope

MAX_ROOT_FIELDS = 20
MAX_ERROR_CODES = 10


@dataclass(eq=False)
class AuditDraft:
    correlation: Correlation
    transport: Transport
    path: str
    method: str | None = None
    client_ip: str | None = None
    id: str = field(default_factory=lambda: new_id(IdPrefix.AUDIT_RECORD))
    occurred_at: datetime = field(default_factory=utcnow)
    started: float = field(default_factory=time.perf_counter)
    principal: Principal | None = None
    org_id: str | None = None
    """The organisation when no principal tells it (an inbound webhook's endpoint owner)."""
    client_id: str | None = None
    """The OAuth client of a call to the authorization server, which has no principal."""
    operation_type: str | None = None
    operation_name: str | None = None
    root_fields: list[str] = field(default_factory=list)
    arguments: dict[str, Any] | None = None
    project_id: str | None = None
    status: int | None = None
    error_codes: list[str] = field(default_factory=list)
    cost: int | None = None
    """Cost points charged for the call (set by ``app.traffic``)."""
    duration_ms: float | None = None
    persisted: bool = False
    """Written inside the request's transaction, final: the batch writer need not write it."""
    in_transaction: bool = False
    """Its write is registered with the request's transaction."""

    def note_error(self, code: str) -> None:
        if code not in self.error_codes and len(self.error_codes) < MAX_ERROR_CODES:
            self.error_codes.append(code)

    def note_operation(
        self,
        operation_type: str | None,
        operation_name: str | None,
        root_fields: list[str],
        arguments: dict[str, Any] | None,
        project_id: str | None,
    ) -> None:
        """Several documents may run for one call (a console page): the first named operation
        names it, the root fields and arguments of all are kept."""
        self.operation_type = self.operation_type or operation_type
        self.operation_name = self.operation_name or operation_name
        for name in root_fields:
            if name not in self.root_fields and len(self.root_fields) < MAX_ROOT_FIELDS:
                self.root_fields.append(name)
        if arguments:
            self.arguments = {**(self.arguments or {}), **arguments}
        self.project_id = self.project_id or project_id

    def finish(self, status: int) -> None:
        if self.status is None:
            self.status = status
        if self.duration_ms is None:
            self.duration_ms = round((time.perf_counter() - self.started) * 1000, 3)

    @property
    def operation(self) -> str | None:
        return self.operation_name or (self.root_fields[0] if self.root_fields else None)

    @property
    def credential_id(self) -> str | None:
        return self.principal.credential_id if self.principal is not None else self.client_id

    def row(self) -> dict[str, Any]:
        """The ``audit_records`` row: final once ``finish`` ran, provisional (status 200,
        duration so far) when written earlier inside a mutation's transaction."""
        principal = self.principal
        kind = principal.credential_kind if principal is not None else None
        duration = self.duration_ms
        if duration is None:
            duration = round((time.perf_counter() - self.started) * 1000, 3)
        codes = ",".join(self.error_codes)
        return {
            "id": self.id,
            "request_id": self.correlation.request_id,
            "correlation_id": self.correlation.correlation_id,
            "traceparent": self.correlation.traceparent,
            "occurred_at": self.occurred_at,
            "org_id": principal.org_id if principal is not None else self.org_id,
            "credential_id": self.credential_id if kind is not CredentialKind.OPERATOR else None,
            "key_id": self.credential_id if kind is CredentialKind.API_KEY else None,
            "client_id": principal.client_id if principal is not None else self.client_id,
            "user_id": principal.user_id if principal is not None else None,
            "project_id": self.project_id,
            "client_ip": self.client_ip,
            "transport": self.transport.value,
            "method": self.method,
            "path": self.path[:512],
            "operation_type": self.operation_type,
            "operation_name": self.operation_name[:128] if self.operation_name else None,
            "operation": (self.operation or "")[:128] or None,
            "root_fields": list(self.root_fields),
            "arguments": self.arguments,
            "status": self.status if self.status is not None else 200,
            "error_codes": f",{codes}," if codes else "",
            "cost": self.cost,
            "duration_ms": duration,
        }


_current: ContextVar[AuditDraft | None] = ContextVar("reelhouse_audit_record", default=None)


def current_record() -> AuditDraft | None:
    """The draft of the call being served (None in background work)."""
    return _current.get()


def set_current(draft: AuditDraft | None) -> Any:
    return _current.set(draft)


def reset_current(token: Any) -> None:
    _current.reset(token)


def mark_transport(scope: Scope, transport: Transport) -> None:
    """Record the call ``scope`` belongs to under ``transport`` (the console's pages)."""
    draft = (scope.get("state") or {}).get("audit")
    if isinstance(draft, AuditDraft):
        draft.transport = transport
