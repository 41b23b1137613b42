"""``/storage/objects/<key>``: the local provider's signed upload (``PUT``) and download
(``GET``/``HEAD``) URLs, answered without an API key: the signature is the credential.

An upload streams to a file under ``.incoming`` while its size is counted and its SHA-256
computed; it replaces the object only when both match what the URL was signed for, so a failed
or forged upload leaves nothing behind and never half-overwrites an object.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote

import anyio
from starlette.responses import FileResponse

from app.errors import ApiError, ErrorCode
from app.http.errors import send_error, send_json
from app.http.public import PublicRoute
from app.storage.base import KEY_RE
from app.storage.local import META_SUFFIX, OBJECTS_PATH, LocalStorage, SignedRequest
from app.types import Receive, Scope, Send


def public_route(max_body_bytes: int) -> PublicRoute:
    pattern = re.compile(re.escape(OBJECTS_PATH) + KEY_RE.pattern)
    return PublicRoute(frozenset({"GET", "HEAD", "PUT"}), pattern, max_body_bytes)


def _forbidden(message: str) -> ApiError:
    return ApiError(ErrorCode.FORBIDDEN, message)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


class ObjectRoutes:
    """The ASGI app mounted at ``/storage/objects``."""

    def __init__(self, storage: LocalStorage) -> None:
        self.storage = storage

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            key = unquote(scope["path"].removeprefix(OBJECTS_PATH))
            if not KEY_RE.fullmatch(key):
                raise ApiError(ErrorCode.NOT_FOUND, "No such object.")
            method = scope["method"]
            if method == "PUT":
                await self._put(scope, receive, send, key)
            elif method in ("GET", "HEAD"):
                await self._get(scope, receive, send, key)
            else:
                raise ApiError(
                    ErrorCode.BAD_REQUEST,
                    "Method not allowed.",
                    headers={"Allow": "GET, HEAD, PUT"},
                    status=405,
                )
        except ApiError as error:
            await send_error(scope, send, error)

    def _signed(self, scope: Scope, method: str, key: str) -> SignedRequest:
        query = {k: v[-1] for k, v in parse_qs(scope.get("query_string", b"").decode()).items()}
        try:
            request = SignedRequest(
                method,
                key,
                int(query.get("expires", "")),
                int(query["size"]) if "size" in query else None,
                query.get("sha256"),
                query.get("type"),
            )
        except ValueError:
            raise _forbidden("This URL is not a valid signed storage URL.") from None
        if not self.storage.verify(request, query.get("sig", "")):
            raise _forbidden("This URL's signature does not match; ask for a new URL.")
        if request.expires < time.time():
            raise _forbidden("This URL has expired; ask for a new one.")
        return request

    async def _get(self, scope: Scope, receive: Receive, send: Send, key: str) -> None:
        self._signed(scope, "GET", key)
        path = self.storage.path_of(key)
        stored = await self.storage.stat(key)
        if stored is None:
            raise ApiError(ErrorCode.NOT_FOUND, "No such object.")
        response = FileResponse(path, media_type=stored.content_type or "application/octet-stream")
        await response(scope, receive, send)

    async def _put(self, scope: Scope, receive: Receive, send: Send, key: str) -> None:
        signed = self._signed(scope, "PUT", key)
        if signed.size is None or signed.content_type is None:
            raise _forbidden("This URL does not allow uploads.")
        if _media_type(_header(scope, b"content-type")) != signed.content_type:
            raise ApiError(
                ErrorCode.BAD_REQUEST,
                f"Send the file with `Content-Type: {signed.content_type}`, as the URL was "
                "signed for.",
            )
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) != signed.size:
            raise self._wrong_size(int(declared), signed.size)
        incoming = self.storage.incoming_path()
        try:
            size, sha256 = await self._receive_into(receive, incoming, signed.size)
            if size != signed.size:
                raise self._wrong_size(size, signed.size)
            if signed.sha256 is not None and sha256 != signed.sha256:
                raise ApiError(
                    ErrorCode.BAD_REQUEST,
                    "The file's SHA-256 does not match the checksum the upload was created "
                    "with; nothing was stored.",
                )
            await anyio.to_thread.run_sync(
                lambda: self.storage.commit(
                    incoming, key, size=size, sha256=sha256, content_type=signed.content_type or ""
                )
            )
        finally:
            await anyio.to_thread.run_sync(_discard, incoming)
        await send_json(send, 200, {"key": key, "size": size, "sha256": sha256})

    @staticmethod
    def _wrong_size(got: int, expected: int) -> ApiError:
        if got > expected:
            return ApiError(
                ErrorCode.PAYLOAD_TOO_LARGE,
                f"The upload is larger than the {expected} bytes it was created for.",
            )
        return ApiError(
            ErrorCode.BAD_REQUEST,
            f"The upload has {got} bytes; it was created for {expected}. Nothing was stored.",
        )

    @staticmethod
    async def _receive_into(receive: Receive, path: Path, limit: int) -> tuple[int, str]:
        digest = hashlib.sha256()
        size = 0
        async with await anyio.open_file(path, "wb") as handle:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise ApiError(ErrorCode.BAD_REQUEST, "Client disconnected.")
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    raise ApiError(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        f"The upload is larger than the {limit} bytes it was created for.",
                    )
                if chunk:
                    digest.update(chunk)
                    await handle.write(chunk)
                if not message.get("more_body"):
                    break
        return size, digest.hexdigest()


def _discard(path: Path) -> None:
    for item in (path, path.with_name(path.name + META_SUFFIX)):
        with contextlib.suppress(FileNotFoundError):
            item.unlink()
