"""Liveness and readiness probes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from app.database import Database

Check = Callable[[], Awaitable[None]]


async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def readiness(
    db: Database, extra_checks: Mapping[str, Check]
) -> Callable[[Request], Awaitable[JSONResponse]]:
    """``/ready``: 200 when the database (and every extra backend, e.g. Redis) answers."""

    async def ready(_request: Request) -> JSONResponse:
        checks: dict[str, str] = {}

        async def database() -> None:
            async with db.reading() as session:
                await session.execute(text("SELECT 1"))

        for name, check in {"database": database, **extra_checks}.items():
            try:
                await check()
                checks[name] = "ok"
            except Exception as error:
                checks[name] = f"error: {type(error).__name__}"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "checks": checks},
            status_code=200 if ok else 503,
        )

    return ready
