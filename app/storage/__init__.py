"""Object storage for uploaded files: one small interface (``ObjectStorage``), two providers
(``local``, ``s3``), chosen by ``REELHOUSE_STORAGE_BACKEND``. ``build_storage`` is the entry
point every process calls."""

from __future__ import annotations

from app.settings import Settings
from app.storage.base import ObjectStorage, StoredObject, UploadTarget
from app.storage.local import LocalStorage
from app.storage.s3 import S3Storage

__all__ = ["LocalStorage", "ObjectStorage", "S3Storage", "StoredObject", "UploadTarget"]


def build_storage(settings: Settings) -> ObjectStorage:
    if settings.storage_backend == "s3":
        assert settings.storage_s3_bucket is not None
        return S3Storage(
            settings.storage_s3_bucket,
            endpoint_url=settings.storage_s3_endpoint_url,
            region=settings.storage_s3_region,
            access_key_id=settings.storage_s3_access_key_id,
            secret_access_key=settings.storage_s3_secret_access_key,
            addressing_style=settings.storage_s3_addressing_style,
        )
    return LocalStorage(
        settings.storage_local_root, settings.base_url, settings.storage_signing_key
    )
