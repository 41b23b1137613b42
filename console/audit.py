"""The audit log: ``auditLog`` with its filters (request-id search among them), newest first,
and the current filter exported as CSV or NDJSON.

The export pages through ``auditLog`` as the signed-in user like the page does (scopes, rate
limits and audit apply), up to ``EXPORT_LIMIT`` records (about half a console user's default
read budget a minute); ``reelhouse audit export`` (the operator's CLI, reading the store
directly) is for whole trails. Lines carry the fields in the CLI's snake_case, so one parser
reads both.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.responses import Response

from app.errors import ApiError
from app.http.page_security import page_headers
from console.app import POLICY, View
from console.graphql import UserErrors
from console.inputs import BadField, integer, kept, moment, text
from console.sections import AUDIT

TRANSPORTS = ("GRAPHQL", "REST", "WEBSOCKET", "OAUTH", "CONSOLE", "WEBHOOK", "HTTP")
TEXT_FILTERS = ("keyId", "clientId", "userId", "operation", "path", "errorCode", "requestId")
FILTERS = (*TEXT_FILTERS, "transport", "status", "from", "to")
PAGE_SIZE = 50
EXPORT_PAGE = 100
EXPORT_LIMIT = 500

RECORD_FIELDS = """
  id requestId correlationId traceparent occurredAt credentialId keyId clientId userId projectId
  clientIp transport method path operationType operationName operation rootFields arguments
  status errorCodes cost durationMs
"""

LIST = f"""
query ConsoleAuditLog($filter: AuditLogFilter, $first: Int!, $after: String) {{
  auditLog(first: $first, after: $after, filter: $filter) {{
    nodes {{ {RECORD_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""

CSV_COLUMNS = (
    "id",
    "occurredAt",
    "requestId",
    "correlationId",
    "transport",
    "credentialId",
    "keyId",
    "clientId",
    "userId",
    "projectId",
    "clientIp",
    "method",
    "path",
    "operation",
    "status",
    "errorCodes",
    "cost",
    "durationMs",
    "arguments",
)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _filter(params: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: text(params, name) or None for name in TEXT_FILTERS}
    transport = text(params, "transport")
    values["transport"] = transport if transport in TRANSPORTS else None
    values["status"] = integer(params, "status")
    values["from"] = moment(params, "from")
    values["to"] = moment(params, "to")
    return values


async def audit_list(view: View) -> Response:
    params = dict(view.request.query_params)
    errors, status = UserErrors(), 200
    records: list[dict[str, Any]] = []
    next_page = None
    try:
        variables = {
            "filter": _filter(params),
            "first": PAGE_SIZE,
            "after": params.get("after") or None,
        }
        data = (await view.api.query(LIST, variables))["auditLog"]
    except BadField as bad:
        errors, status = bad.errors, 422
    except ApiError as error:
        errors, status = UserErrors.refused(error), 422
    else:
        records = data["nodes"]
        if data["pageInfo"]["hasNextPage"]:
            next_page = "?" + urlencode(
                {**kept(params, FILTERS), "after": data["pageInfo"]["endCursor"]}
            )
    return view.render(
        "audit.html",
        status,
        records=records,
        params=params,
        errors=errors,
        transports=TRANSPORTS,
        next_page=next_page,
        export_query=urlencode(kept(params, FILTERS)),
        export_limit=EXPORT_LIMIT,
    )


async def _all_records(view: View) -> list[dict[str, Any]]:
    params = dict(view.request.query_params)
    records: list[dict[str, Any]] = []
    after = None
    while len(records) < EXPORT_LIMIT:
        variables = {"filter": _filter(params), "first": EXPORT_PAGE, "after": after}
        data = (await view.api.query(LIST, variables))["auditLog"]
        records.extend(data["nodes"])
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    return records[:EXPORT_LIMIT]


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet will not run: caller-chosen text (paths, operation names) that
    starts like a formula gets a leading apostrophe (OWASP's CSV-injection advice)."""
    cell = "" if value is None else str(value)
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def _download(body: bytes, media_type: str, name: str) -> Response:
    headers = page_headers(POLICY)
    headers["content-disposition"] = f'attachment; filename="{name}"'
    return Response(body, media_type=media_type, headers=headers)


async def export_ndjson(view: View) -> Response:
    records = await _all_records(view)
    body = b"".join(
        orjson.dumps({snake(key): value for key, value in record.items()}) + b"\n"
        for record in records
    )
    return _download(body, "application/x-ndjson", "audit-log.ndjson")


async def export_csv(view: View) -> Response:
    records = await _all_records(view)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([snake(column) for column in CSV_COLUMNS])
    for record in records:
        row: list[str] = []
        for column in CSV_COLUMNS:
            value = record.get(column)
            if column == "errorCodes":
                value = " ".join(value or [])
            elif column == "arguments":
                value = orjson.dumps(value).decode() if value is not None else ""
            row.append(_cell(value))
        writer.writerow(row)
    return _download(out.getvalue().encode(), "text/csv; charset=utf-8", "audit-log.csv")


ROUTES = (
    (AUDIT, "/audit", audit_list, ("GET",)),
    (AUDIT, "/audit/export.csv", export_csv, ("GET",)),
    (AUDIT, "/audit/export.ndjson", export_ndjson, ("GET",)),
)
