"""The S3-compatible provider (AWS S3, MinIO, Cloudflare R2, …) through ``aiobotocore``.

Upload URLs are SigV4 presigned ``PUT``s whose signed headers include the length, the media
type and, when the asset declared one, ``x-amz-checksum-sha256``: the service itself refuses
any other body. Services that do not check (or report) checksums are covered by the processing
job, which hashes every byte it downloads before the asset can become ready.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
from aiobotocore.session import get_session
from botocore.config import Config
from botocore.exceptions import ClientError

from app.clock import utcnow
from app.storage.base import ObjectStorage, StoredObject, UploadTarget, check_key

MISSING = frozenset({"404", "NoSuchKey", "NotFound"})


def _seconds_until(expires_at: datetime) -> int:
    return max(1, int((expires_at - utcnow()).total_seconds()))


class S3Storage(ObjectStorage):
    name = "s3"

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        addressing_style: str = "auto",
    ) -> None:
        self.bucket = bucket
        self._options: dict[str, Any] = {
            "endpoint_url": endpoint_url,
            "region_name": region,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
            "config": Config(
                signature_version="s3v4",
                s3={"addressing_style": addressing_style},
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        }
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None
        self._lock = asyncio.Lock()

    async def client(self) -> Any:
        if self._client is None:
            async with self._lock:
                if self._client is None:
                    self._client = await self._stack.enter_async_context(
                        get_session().create_client("s3", **self._options)
                    )
        return self._client

    async def close(self) -> None:
        await self._stack.aclose()
        self._client = None

    async def upload_target(
        self, key: str, *, size: int, sha256: str | None, content_type: str, expires_at: datetime
    ) -> UploadTarget:
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": check_key(key),
            "ContentType": content_type,
            "ContentLength": size,
        }
        headers = {"Content-Type": content_type}
        if sha256 is not None:
            checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
            params["ChecksumSHA256"] = checksum
            headers["x-amz-checksum-sha256"] = checksum
        client = await self.client()
        url: str = await client.generate_presigned_url(
            "put_object", Params=params, ExpiresIn=_seconds_until(expires_at)
        )
        return UploadTarget(url, expires_at, headers=headers)

    async def download_url(self, key: str, *, expires_at: datetime) -> str:
        client = await self.client()
        url: str = await client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": check_key(key)},
            ExpiresIn=_seconds_until(expires_at),
        )
        return url

    async def stat(self, key: str) -> StoredObject | None:
        client = await self.client()
        try:
            head = await client.head_object(
                Bucket=self.bucket, Key=check_key(key), ChecksumMode="ENABLED"
            )
        except ClientError as error:
            if str(error.response.get("Error", {}).get("Code")) in MISSING:
                return None
            raise
        checksum = head.get("ChecksumSHA256")
        sha256 = None
        if isinstance(checksum, str) and "-" not in checksum:
            sha256 = base64.b64decode(checksum).hex()
        return StoredObject(int(head["ContentLength"]), sha256, head.get("ContentType"))

    @contextlib.asynccontextmanager
    async def local_copy(self, key: str) -> AsyncIterator[Path]:
        client = await self.client()
        try:
            response = await client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if str(error.response.get("Error", {}).get("Code")) in MISSING:
                raise FileNotFoundError(key) from None
            raise
        fd, name = tempfile.mkstemp(prefix="reelhouse-object-")
        os.close(fd)
        path = Path(name)
        try:
            async with response["Body"] as body, await anyio.open_file(path, "wb") as handle:
                while chunk := await body.read(1024 * 1024):
                    await handle.write(chunk)
            yield path
        finally:
            await anyio.to_thread.run_sync(lambda: path.unlink(missing_ok=True))

    async def delete(self, key: str) -> None:
        client = await self.client()
        await client.delete_object(Bucket=self.bucket, Key=check_key(key))
