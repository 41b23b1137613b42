"""The console's events browser and audit log in process: filters with refused values beside
their fields, the payload viewer, request-id search (console calls are audited as
``console``), and the CSV and NDJSON exports of the current filter."""

from __future__ import annotations

import csv
import html
import io

import orjson

from app.models import UserRole
from tests.conftest import Backend, Tenant
from tests.console_fixtures import person
from tests.identity_fixtures import add_user
from tests.test_webhooks import create_project


async def test_events_are_browsed_filtered_and_opened(tenant: Tenant, backend: Backend) -> None:
    member = await add_user(tenant, UserRole.MEMBER)
    project_id = await create_project(tenant, "browsed-events")
    async with person(backend.app, member.email) as browser:
        listed = await browser.get("/console/events?types=project.created")
        assert listed.status_code == 200, listed.text[-1500:]
        assert project_id in listed.text and "browsed-events" in listed.text
        by_aggregate = await browser.get(f"/console/events?aggregateId={project_id}")
        assert by_aggregate.text.count('<a href="/console/events/evt_') == 1
        none = await browser.get("/console/events?types=job.completed&aggregateId=" + project_id)
        assert "No events match." in none.text
        event_id = by_aggregate.text.split('<a href="/console/events/')[1].split('"')[0]
        opened = await browser.get(f"/console/events/{event_id}")
        assert opened.status_code == 200
        assert "A project was created." in opened.text
        assert '"slug": "browsed-events"' in html.unescape(opened.text)
        refused = await browser.get("/console/events?types=project..x")
        assert refused.status_code == 422 and 'id="types-error"' in refused.text
        bad_time = await browser.get("/console/events?occurredAfter=soon")
        assert bad_time.status_code == 422 and 'id="occurredAfter-error"' in bad_time.text
        missing = await browser.get("/console/events/evt_01J00000000000000000000000")
        assert missing.status_code == 404


async def test_the_audit_log_finds_a_request_and_exports_the_filter(
    tenant: Tenant, backend: Backend
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with person(backend.app, admin.email) as browser:
        keys = await browser.get("/console/keys")
        request_id = keys.headers["x-request-id"]
        await tenant.services.auditor.writer.flush()
        found = await browser.get(f"/console/audit?requestId={request_id}")
        assert found.status_code == 200
        assert found.text.count(f"<code>{request_id}</code>") == 1
        assert "ConsoleApiKeys" in found.text and ">console</td>" in found.text
        other = await browser.get(f"/console/audit?requestId={request_id}&transport=REST")
        assert "No calls match." in other.text
        assert f"export.csv?requestId={request_id}" in found.text

        exported = await browser.get(f"/console/audit/export.ndjson?requestId={request_id}")
        assert exported.status_code == 200
        assert exported.headers["content-type"].startswith("application/x-ndjson")
        assert "attachment" in exported.headers["content-disposition"]
        [line] = [orjson.loads(row) for row in exported.text.splitlines()]
        assert line["request_id"] == request_id and line["transport"] == "CONSOLE"
        assert line["operation"] == "ConsoleApiKeys" and line["status"] == 200

        as_csv = await browser.get(f"/console/audit/export.csv?requestId={request_id}")
        assert as_csv.headers["content-type"].startswith("text/csv")
        [row] = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert row["request_id"] == request_id and row["operation"] == "ConsoleApiKeys"

        refused = await browser.get("/console/audit?status=abc")
        assert refused.status_code == 422 and 'id="status-error"' in refused.text


async def test_audit_csv_cells_never_start_a_formula(tenant: Tenant, backend: Backend) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    await tenant.http.get("/v1/=HYPERLINK(1)", headers={"Authorization": f"Bearer {tenant.token}"})
    await tenant.services.auditor.writer.flush()
    async with person(backend.app, admin.email) as browser:
        as_csv = await browser.get("/console/audit/export.csv?path=/v1/=HYPERLINK")
        rows = list(csv.DictReader(io.StringIO(as_csv.text)))
        assert rows and all(not row["path"].startswith("=") for row in rows)
