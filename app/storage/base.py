"""The storage interface: where uploaded files live, behind presigned URLs.

Partners never send file bytes through the API: ``createAsset`` hands out a URL to ``PUT`` the
file to, signed for one key, size, checksum and media type, and ``urls.original`` is a
short-lived signed ``GET``. A provider only signs, inspects, copies out and deletes objects.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

KEY_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}(?:/[A-Za-z0-9][A-Za-z0-9_.-]{0,127}){0,7}")
"""Object keys: slash-separated segments that start with a letter or digit, so no segment is
``.`` or ``..`` and a key can never leave its folder or bucket."""

HASH_CHUNK = 1024 * 1024


def check_key(key: str) -> str:
    if not KEY_RE.fullmatch(key):
        raise ValueError(f"invalid object key {key!r}")
    return key


@dataclass(frozen=True, slots=True)
class UploadTarget:
    """How to upload: ``method`` the bytes to ``url`` with exactly these ``headers``."""

    url: str
    expires_at: datetime
    method: str = "PUT"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredObject:
    size: int
    sha256: str | None
    """Lowercase hex, when the provider knows it without reading the object."""
    content_type: str | None = None


class ObjectStorage(ABC):
    """One provider. Subclasses name themselves; a missing name fails at import."""

    name: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not getattr(cls, "name", "").strip():
            raise TypeError(f"{cls.__qualname__} must set `name`")

    @abstractmethod
    async def upload_target(
        self, key: str, *, size: int, sha256: str | None, content_type: str, expires_at: datetime
    ) -> UploadTarget:
        """A URL that accepts exactly this object (size, checksum if given, media type)."""

    @abstractmethod
    async def download_url(self, key: str, *, expires_at: datetime) -> str:
        """A URL that serves the object until ``expires_at``."""

    @abstractmethod
    async def stat(self, key: str) -> StoredObject | None:
        """The stored object's size (and checksum if known); None if there is none."""

    @abstractmethod
    def local_copy(self, key: str) -> AbstractAsyncContextManager[Path]:
        """A file holding the object while the block runs (tools such as ffprobe read it)."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the object; removing one that is not there is not an error."""

    async def close(self) -> None:  # noqa: B027 (optional: the local provider holds nothing)
        """Release connections (at shutdown)."""


def sha256_of_file(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in chunks (call it in a thread)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()
