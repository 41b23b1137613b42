"""The baseline: a bare Starlette JSON endpoint, served the same way as the API.

Every other row is reported as a ratio to this one, so the table says what our middleware,
GraphQL execution and database cost over the framework itself on the same machine and run.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PAYLOAD = {
    "data": {
        "project": {
            "id": "prj_01JBENCH000000000000000000",
            "slug": "bench-project",
            "name": "Bench project",
            "status": "ACTIVE",
        }
    }
}


async def project(_request: Request) -> JSONResponse:
    return JSONResponse(PAYLOAD)


app = Starlette(routes=[Route("/json", project, methods=["GET", "POST"])])
