"""What ``reelhouse serve`` lets a connection do before the app sees a request.

uvicorn's httptools protocol buffers a request's line and headers without a bound and waits for
them without a deadline: 100 MB of headers were accepted without a key, and silent or trickling
connections stayed open for as long as their clients liked. This protocol is uvicorn's with:

- a cap on the request line and headers together and on the number of header fields: past
  either, the client gets ``431`` and the connection is closed;
- a header deadline: from the moment a connection opens (or the previous response on it ends),
  the request's headers must be complete within it, else the connection is closed (``408``);
- the keep-alive idle timeout (uvicorn's) and the body deadline (``app.http.body_limit``) do
  the rest.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.settings import get_settings

PROTOCOL = "app.http.connections:BoundedHttpToolsProtocol"
"""The import string uvicorn's ``http`` option takes."""


class HeadersTooLarge(httptools.HttpParserError):
    """Stops the parser once the headers pass the limit (the answer is already written)."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.max_header_bytes = settings.max_header_bytes
        self.max_headers = settings.max_headers
        self.header_timeout = settings.header_timeout_seconds
        self._in_head = True
        self._head_bytes = 0
        self._header_count = 0
        self._refused = False
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            self._head_bytes += len(data)
            if self._header_deadline is None:
                self._arm_deadline()
        super().data_received(data)
        if self._in_head and not self._refused and self._head_bytes > self.max_header_bytes:
            self._refuse(431, "Request header fields too large")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_count = 0

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self.max_headers:
            self._refuse(431, "Too many request header fields")
            raise HeadersTooLarge("too many header fields")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._cancel_deadline()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        pipelined = bool(self.pipeline)
        super().on_response_complete()
        if not pipelined and not self.transport.is_closing():
            self._await_head()

    def send_400_response(self, msg: str) -> None:
        if not self._refused:
            super().send_400_response(msg)

    def _await_head(self) -> None:
        """The next request's headers are due: the deadline starts now on a new connection,
        at its first byte after a response (until then the keep-alive timeout applies)."""
        self._in_head = True
        self._head_bytes = 0
        self._cancel_deadline()
        if self.cycle is None:
            self._arm_deadline()

    def _arm_deadline(self) -> None:
        self._header_deadline = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _cancel_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _head_too_slow(self) -> None:
        self._header_deadline = None
        if self._in_head and not self.transport.is_closing():
            self._refuse(408, "Request headers not received in time")

    def _refuse(self, status: int, reason: str) -> None:
        self._refused = True
        self._cancel_deadline()
        body = reason.encode()
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, reason.encode(), len(body), body)
        )
        self.transport.close()
