"""``reelhouse audit export``: an organisation's records as NDJSON, oldest first, for a SIEM.

Read in keyset chunks over ``(occurred_at, id)`` (the ``ix_audit_org_time`` index), so an
export of millions of rows holds neither a long transaction nor the whole result in memory.
Each line holds the fields ``GET /v1/audit_log`` shows, in its snake_case.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import and_, or_
from sqlmodel import col, select

from app.clock import isoformat
from app.database import Database
from app.models import AuditRecord

CHUNK = 1000


def line_of(record: AuditRecord) -> bytes:
    row: dict[str, Any] = record.model_dump()
    row["occurred_at"] = isoformat(record.occurred_at)
    row["error_codes"] = [code for code in record.error_codes.split(",") if code]
    return orjson.dumps(row) + b"\n"


async def export_lines(
    db: Database, org_id: str, since: datetime | None, until: datetime | None
) -> AsyncIterator[bytes]:
    a = AuditRecord
    position: tuple[datetime, str] | None = None
    while True:
        query = select(a).where(col(a.org_id) == org_id)
        if since is not None:
            query = query.where(col(a.occurred_at) >= since)
        if until is not None:
            query = query.where(col(a.occurred_at) < until)
        if position is not None:
            at, last = position
            query = query.where(
                or_(col(a.occurred_at) > at, and_(col(a.occurred_at) == at, col(a.id) > last))
            )
        query = query.order_by(col(a.occurred_at), col(a.id)).limit(CHUNK)
        async with db.reading() as session:
            rows = list((await session.execute(query)).scalars())
        for row in rows:
            yield line_of(row)
        if len(rows) < CHUNK:
            return
        position = (rows[-1].occurred_at, rows[-1].id)
