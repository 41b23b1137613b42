"""Liveness and readiness probes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.database import Database

Check = Callable[[], Awaitable[None]]


class Degraded(Exception):
    """A check's part still works, less well (e.g. rate limits per process while Redis is
    away): ``/ready`` says so and stays 200."""


async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def readiness(
    db: Database, extra_checks: Mapping[str, Check]
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """``/ready``: 200 when the database (and every extra backend, e.g. Redis) answers;
    ``degraded`` (still 200) when a check raised ``Degraded``."""

    async def ready(_request: Request) -> JSONResponse:
        checks: dict[str, str] = {}

        async def database() -> None:
            async with db.reading() as session:
                await session.execute(text("SELECT 1"))

        for name, check in {"database": database, **extra_checks}.items():
            try:
                await check()
                checks[name] = "ok"
            except Degraded as degraded:
                checks[name] = f"degraded: {degraded}"
            except Exception as error:
                checks[name] = f"error: {type(error).__name__}"
        ok = all(v == "ok" or v.startswith("degraded") for v in checks.values())
        status = "unavailable" if not ok else "ok"
        if ok and any(v != "ok" for v in checks.values()):
            status = "degraded"
        return JSONResponse(
            {"status": status, "checks": checks},
            status_code=200 if ok else 503,
        )

    return ready
