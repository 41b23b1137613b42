"""The local filesystem provider: objects in a folder, behind URLs this server signs and serves.

A URL is ``<public url>/storage/objects/<key>?…&sig=…``; the signature (HMAC-SHA256 with the
storage signing key) covers the method, the key, the expiry and, for uploads, the exact size,
checksum and media type, so a URL cannot be stretched to another object, a bigger file or a
later time. ``app.storage.serving`` checks it and streams the bytes.

On disk: ``<root>/<key>`` and its ``<key>.meta`` (size, SHA-256, media type as JSON), both
replaced atomically only after an upload was verified; unfinished uploads live under
``<root>/.incoming``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import os
import secrets
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import orjson

from app.storage.base import ObjectStorage, StoredObject, UploadTarget, check_key

OBJECTS_PATH = "/storage/objects/"
META_SUFFIX = ".meta"
INCOMING = ".incoming"
KEY_FILE = ".signing-key"


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What a storage URL's query string claims, before its signature is checked."""

    method: str
    key: str
    expires: int
    size: int | None = None
    sha256: str | None = None
    content_type: str | None = None

    def message(self) -> bytes:
        fields = (
            self.method,
            self.key,
            str(self.expires),
            "" if self.size is None else str(self.size),
            self.sha256 or "",
            self.content_type or "",
        )
        return "\n".join(fields).encode()


def _load_or_make_key(root: Path) -> bytes:
    """The signing key every process sharing ``root`` uses; the first one to look makes it."""
    path = root / KEY_FILE
    root.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    for _ in range(50):
        text = path.read_text().strip()
        if text:
            return text.encode()
    raise RuntimeError(f"{path} is empty")


class LocalStorage(ObjectStorage):
    name = "local"

    def __init__(self, root: str | Path, base_url: str, signing_key: str | None = None) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / INCOMING).mkdir(exist_ok=True)
        self.base_url = base_url.rstrip("/")
        self._key = signing_key.encode() if signing_key else _load_or_make_key(self.root)

    def path_of(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:
            raise ValueError(f"object key {key!r} leaves the storage folder")
        return path

    def incoming_path(self) -> Path:
        return self.root / INCOMING / secrets.token_hex(16)

    def sign(self, request: SignedRequest) -> str:
        return hmac.new(self._key, request.message(), hashlib.sha256).hexdigest()

    def verify(self, request: SignedRequest, signature: str) -> bool:
        return hmac.compare_digest(self.sign(request), signature)

    def _url(self, request: SignedRequest) -> str:
        query: dict[str, str | int] = {"expires": request.expires}
        if request.size is not None:
            query["size"] = request.size
        if request.sha256:
            query["sha256"] = request.sha256
        if request.content_type:
            query["type"] = request.content_type
        query["sig"] = self.sign(request)
        return f"{self.base_url}{OBJECTS_PATH}{quote(request.key)}?{urlencode(query)}"

    async def upload_target(
        self, key: str, *, size: int, sha256: str | None, content_type: str, expires_at: datetime
    ) -> UploadTarget:
        request = SignedRequest(
            "PUT", check_key(key), int(expires_at.timestamp()), size, sha256, content_type
        )
        return UploadTarget(self._url(request), expires_at, headers={"Content-Type": content_type})

    async def download_url(self, key: str, *, expires_at: datetime) -> str:
        return self._url(SignedRequest("GET", check_key(key), int(expires_at.timestamp())))

    async def stat(self, key: str) -> StoredObject | None:
        return await asyncio.to_thread(self._stat, self.path_of(key))

    @staticmethod
    def _stat(path: Path) -> StoredObject | None:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return None
        meta: Mapping[str, object] = {}
        with contextlib.suppress(FileNotFoundError, orjson.JSONDecodeError):
            meta = orjson.loads(path.with_name(path.name + META_SUFFIX).read_bytes())
        sha = meta.get("sha256") if meta.get("size") == size else None
        content_type = meta.get("content_type")
        return StoredObject(
            size,
            sha if isinstance(sha, str) else None,
            content_type if isinstance(content_type, str) else None,
        )

    def commit(
        self, incoming: Path, key: str, *, size: int, sha256: str, content_type: str
    ) -> None:
        """Move a verified upload into place, with its metadata (call it in a thread)."""
        target = self.path_of(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = incoming.with_name(incoming.name + META_SUFFIX)
        meta.write_bytes(
            orjson.dumps({"size": size, "sha256": sha256, "content_type": content_type})
        )
        os.replace(incoming, target)
        os.replace(meta, target.with_name(target.name + META_SUFFIX))

    @contextlib.asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        path = self.path_of(key)
        if not await asyncio.to_thread(path.is_file):
            raise FileNotFoundError(key)
        yield path

    async def delete(self, key: str) -> None:
        path = self.path_of(key)

        def remove() -> None:
            for item in (path, path.with_name(path.name + META_SUFFIX)):
                with contextlib.suppress(FileNotFoundError):
                    item.unlink()

        await asyncio.to_thread(remove)
