"""The ``auditLog`` page the console and partners ask for most (one key, a time range, newest
first) stays one index range scan that stops after the page, however large the table: the
PostgreSQL plan is checked on a table of a few hundred thousand rows, spread like a real one
(many keys, many days)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from app.clock import utcnow
from app.ids import IdPrefix, new_id
from resolvers.audit import AuditFilter, conditions
from resolvers.pagination import MAX_PAGE_SIZE
from tests.conftest import Backend

ROWS = 300_000
KEYS = 200

FILL = """
INSERT INTO audit_records (id, request_id, occurred_at, org_id, credential_id, key_id,
  transport, method, path, root_fields, status, error_codes, duration_ms)
SELECT 'aud_' || lpad(n::text, 26, '0'), 'req_' || lpad(n::text, 26, '0'),
  now() - (n || ' seconds')::interval * 8, :org,
  'key_' || lpad((n % :keys)::text, 26, '0'), 'key_' || lpad((n % :keys)::text, 26, '0'),
  'rest', 'GET', '/v1/projects', '["projects"]', 200, '', 1.5
FROM generate_series(1, :rows) AS n
"""


def plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    nodes = [plan]
    for child in plan.get("Plans", []):
        nodes.extend(plan_nodes(child))
    return nodes


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_key_and_time_range_page_is_one_index_range(backend: Backend) -> None:
    from sqlmodel import col, select

    from app.models import AuditRecord

    db = backend.app.services.db
    org_id = new_id(IdPrefix.ORGANIZATION)
    async with db.writing() as session:
        await session.execute(text(FILL), {"org": org_id, "keys": KEYS, "rows": ROWS})
    async with db.writing() as session:
        await session.execute(text("ANALYZE audit_records"))
    now = utcnow()
    key = "key_" + "7".rjust(26, "0")
    wanted = AuditFilter(key_id=key, start=now - timedelta(days=7), end=now)
    query = (
        select(AuditRecord)
        .where(col(AuditRecord.org_id) == org_id, *conditions(wanted))
        .order_by(col(AuditRecord.occurred_at).desc(), col(AuditRecord.id).desc())
        .limit(MAX_PAGE_SIZE + 1)
    )
    compiled = query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    try:
        async with db.reading() as session:
            raw = (
                await session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}"))
            ).scalar_one()
        plan = (orjson.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
        nodes = plan_nodes(plan)
        kinds = [n["Node Type"] for n in nodes]
        assert "Seq Scan" not in kinds and "Sort" not in kinds, kinds
        scans = [n for n in nodes if n["Node Type"] in ("Index Scan", "Index Only Scan")]
        assert [s["Index Name"] for s in scans] == ["ix_audit_org_credential_time"], kinds
        assert scans[0]["Actual Rows"] <= MAX_PAGE_SIZE + 1
    finally:
        async with db.writing() as session:
            await session.execute(
                text("DELETE FROM audit_records WHERE org_id = :org"), {"org": org_id}
            )
