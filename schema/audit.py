"""The audit trail in the GraphQL contract: ``auditLog`` (REST: ``GET /v1/audit_log``)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.ids import IdPrefix
from app.models import AuditRecord, Transport
from resolvers import audit as logic
from schema.connections import Connection
from schema.fields import query_field
from schema.models import FromRow, Node
from schema.node import register_node
from schema.scalars import JSON

AuditTransport = strawberry.enum(
    Transport,
    name="AuditTransport",
    description="How a call arrived. WEBHOOK: an inbound webhook; HTTP: anything else "
    "(signed storage URLs, unknown paths).",
)


def _codes(root: AuditRecordType) -> list[str]:
    return [code for code in root.row.error_codes.split(",") if code]


@strawberry.type(
    name="AuditRecord",
    description="One call: who made it, from where, what it asked and what came back. "
    "Secrets in the arguments are stored as `[REDACTED]`.",
)
class AuditRecordType(FromRow, Node):
    request_id: str = strawberry.field(description="Our `X-Request-Id` (`req_…`).")
    correlation_id: str | None = strawberry.field(
        description="The caller's `X-Correlation-Id` (or `X-Request-Id`)."
    )
    traceparent: str | None = strawberry.field(description="The caller's W3C `traceparent`.")
    occurred_at: datetime = strawberry.field(description="When the call arrived.")
    credential_id: str | None = strawberry.field(
        description="The API key, OAuth client, or (console) user that made the call; null "
        "when it presented no valid credential."
    )
    key_id: strawberry.ID | None
    client_id: strawberry.ID | None
    user_id: strawberry.ID | None
    org_id: strawberry.ID | None
    project_id: strawberry.ID | None = strawberry.field(
        description="The project the call addressed, when its arguments name one."
    )
    client_ip: str | None
    transport: AuditTransport  # type: ignore[valid-type]
    method: str | None = strawberry.field(
        description="HTTP method; null for a subscription on a WebSocket."
    )
    path: str
    operation_type: str | None = strawberry.field(description="query, mutation or subscription.")
    operation_name: str | None
    operation: str | None = strawberry.field(
        description="The operation name, or else the first root field (a REST route's field)."
    )
    root_fields: list[str]
    arguments: JSON | None = strawberry.field(
        description="The root fields' arguments (or query parameters), secrets redacted."
    )
    status: int = strawberry.field(
        description="HTTP status; a WebSocket connection: 101, or the close code (≥ 4000) "
        "that refused it; a subscription: 200 or the status of the error that ended it."
    )
    error_codes: list[str] = strawberry.field(resolver=_codes)
    cost: int | None = strawberry.field(description="Rate-limit points the call cost.")
    duration_ms: float


@strawberry.input(description="Every given filter must match.")
class AuditLogFilter:
    key_id: strawberry.ID | None = None
    client_id: strawberry.ID | None = None
    user_id: strawberry.ID | None = None
    transport: AuditTransport | None = None  # type: ignore[valid-type]
    operation: str | None = strawberry.field(
        default=None, description="Exact operation name, or root field when unnamed."
    )
    path: str | None = strawberry.field(
        default=None, description="Path prefix: `/v1/projects` matches `/v1/projects/prj_…`."
    )
    status: int | None = None
    error_code: str | None = strawberry.field(
        default=None, description="Records whose `errorCodes` include this code."
    )
    request_id: str | None = strawberry.field(
        default=None, description="Our `req_…` or the caller's correlation id."
    )
    from_: datetime | None = strawberry.field(default=None, name="from", description="Inclusive.")
    to: datetime | None = strawberry.field(default=None, description="Exclusive.")

    def to_logic(self) -> logic.AuditFilter:
        return logic.AuditFilter(
            key_id=self.key_id,
            client_id=self.client_id,
            user_id=self.user_id,
            transport=Transport(self.transport).value if self.transport is not None else None,
            operation=self.operation,
            path=self.path,
            status=self.status,
            error_code=self.error_code,
            request_id=self.request_id,
            start=self.from_,
            end=self.to,
        )


@strawberry.type
class AuditQueries:
    @query_field(
        scope=Scope.AUDIT_READ,
        description="Every call made to the organisation's API (including refused ones), newest "
        "first. A credential limited to projects sees the calls that addressed them.",
    )
    async def audit_log(
        self,
        info: Info,
        filter: AuditLogFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditRecordType]:
        page = await logic.list_records(
            info.context, (filter or AuditLogFilter()).to_logic(), first, after
        )
        return Connection.from_page(page, AuditRecordType.from_row)


register_node(IdPrefix.AUDIT_RECORD, AuditRecord, AuditRecordType, Scope.AUDIT_READ)

QUERIES: tuple[type, ...] = (AuditQueries,)
MUTATIONS: tuple[type, ...] = ()
