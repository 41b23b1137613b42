"""The two places traffic control sits in the request path (pure ASGI).

``AnonymousLimit`` wraps authentication: every request that ends without a valid credential
(a 401) takes a point from its client address's bucket, and once that bucket is empty the
address's requests to protected paths are answered 429 before any credential is looked at,
so guessing keys is throttled. ``TrafficMiddleware`` sits inside authentication: it gives
every authenticated request its ``RequestTraffic`` and, as the response starts, counts a
request that executed nothing, prices a 304 and adds the rate-limit headers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.auth.network import Network, client_address
from app.errors import ApiError, ErrorCode
from app.http.errors import send_error
from app.http.headers import headers
from app.traffic.control import TrafficControl
from app.traffic.record import STATE_KEY
from app.types import ASGIApp, Message, Receive, Scope, Send


class TrafficMiddleware:
    def __init__(self, app: ASGIApp, control: TrafficControl) -> None:
        self.app = app
        self.control = control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.get("state") or {}
        principal = state.get("principal")
        if scope["type"] != "http" or principal is None:
            await self.app(scope, receive, send)
            return
        control = self.control
        record = control.record(principal, scope["method"])
        state[STATE_KEY] = record

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                await control.finish(record, message["status"])
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                raw += [(k, v) for k, v in control.headers(record) if k not in present]
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, sending)


class AnonymousLimit:
    def __init__(
        self,
        app: ASGIApp,
        control: TrafficControl,
        protected: Callable[[Scope], bool],
        trusted_proxies: Sequence[Network] = (),
    ) -> None:
        self.app = app
        self.control = control
        self.protected = protected
        self.trusted_proxies = tuple(trusted_proxies)

    def _address(self, scope: Scope) -> str:
        client = scope.get("client")
        address = client_address(
            client[0] if client else None, headers(scope, b"x-forwarded-for"), self.trusted_proxies
        )
        return str(address) if address is not None else "unknown"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.control.enabled or not self.protected(scope):
            await self.app(scope, receive, send)
            return
        address = self._address(scope)
        wait = self.control.blocked_for(address)
        if wait:
            error = ApiError(
                ErrorCode.RATE_LIMIT_EXCEEDED,
                "Too many requests without a valid credential from this address; retry in "
                f"{wait} s.",
                headers={"Retry-After": str(wait)},
            )
            await send_error(scope, send, error)
            return
        control = self.control

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 401:
                await control.charge_anonymous(address)
            await send(message)

        await self.app(scope, receive, sending)
