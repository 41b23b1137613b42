"""The audit trail: one record per call, whoever made it and however it ended.

``Auditor`` is the entry point the request path calls (``AuditMiddleware`` for HTTP and
WebSocket connections, ``GraphQLWebSocket`` for each subscription, ``Auditor.within`` inside
a write transaction); ``current_record()`` is the record of the call being served, for those
who learn something about it (the principal, the operation, the cost).
"""

from __future__ import annotations

from app.audit.auditor import Auditor
from app.audit.middleware import AuditMiddleware
from app.audit.records import AuditDraft, current_record, mark_transport
from app.models.audit import Transport

__all__ = [
    "AuditDraft",
    "AuditMiddleware",
    "Auditor",
    "Transport",
    "current_record",
    "mark_transport",
]
