"""A deadline for each ``/graphql`` and ``/v1`` request: past it the work is cancelled and the
caller answered 504 ``TIMEOUT``.

It sits inside ``RequestTransactions`` (``app.transaction``), so the 504 reaches the request
transaction like any other answer: a 5xx commits nothing, and the cancelled work's writes are
rolled back. A commit that has begun is never cut, since the transaction waits for the answer
this middleware gives. On PostgreSQL every statement has a ``statement_timeout`` a little
shorter (``app.database``), so a slow query is stopped by the server first and its connection
goes back to the pool clean; cancelling a task in the middle of a query would leave it broken.
"""

from __future__ import annotations

import asyncio

from app.errors import ApiError, ErrorCode
from app.http.errors import send_error
from app.types import ASGIApp, Message, Receive, Scope, Send


def timed_out(seconds: float) -> ApiError:
    return ApiError(ErrorCode.TIMEOUT, f"The request took longer than {seconds:g} seconds.")


class RequestDeadline:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        deadline = asyncio.timeout(self.seconds)
        try:
            async with deadline:
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if started or not deadline.expired():
                raise
            await send_error(scope, send, timed_out(self.seconds))
