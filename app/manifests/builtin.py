"""The manifest schemas every organisation has without registering them.

``content-manifest`` describes a delivery of files for a project: each asset names its file
(``uri``), its content hash (``sha256``, which deduplicates it) and an ``id`` of the caller's
that later manifests use to update it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.models import ManifestSchema

BUILTIN_ORG = "builtin"
"""``org_id`` of built-in schemas: no organisation's, shown to every one."""

BUILTIN_CREATED_AT = datetime(2026, 1, 1, tzinfo=UTC)

CONTENT_MANIFEST: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:reelhouse:manifest-schema:content-manifest:1",
    "title": "Content manifest",
    "description": "The files a product needs, each identified by its content hash.",
    "type": "object",
    "required": ["product", "assets"],
    "additionalProperties": False,
    "properties": {
        "product": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "maxLength": 2000},
        "createdAt": {"type": "string", "format": "date-time"},
        "assets": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/$defs/asset"}},
    },
    "$defs": {
        "asset": {
            "type": "object",
            "required": ["id", "type", "uri", "sha256"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$"},
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "type": {
                    "enum": ["image", "video", "audio", "model", "document", "other"],
                },
                "mimeType": {
                    "type": "string",
                    "pattern": "^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$",
                },
                "uri": {
                    "type": "string",
                    "format": "uri",
                    "pattern": "^https?://",
                    "maxLength": 2048,
                },
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "size": {"type": "integer", "minimum": 0, "maximum": 5 * 1024**4},
                "tags": {
                    "type": "array",
                    "maxItems": 50,
                    "items": {"type": "string", "pattern": "^[a-z0-9_:-]{1,64}$"},
                },
                "metadata": {"type": "object", "maxProperties": 200},
            },
        }
    },
}


def _builtin(row_id: str, name: str, version: int, description: str, document: Any) -> Any:
    return ManifestSchema(
        id=row_id,
        org_id=BUILTIN_ORG,
        name=name,
        schema_version=version,
        description=description,
        document=document,
        created_at=BUILTIN_CREATED_AT,
        updated_at=BUILTIN_CREATED_AT,
    )


BUILTINS: tuple[ManifestSchema, ...] = (
    _builtin(
        "msc_00000000000000000000000001",
        "content-manifest",
        1,
        "Built in: the files a product needs, each with its URI and SHA-256; valid manifests "
        "register them as assets of the project.",
        CONTENT_MANIFEST,
    ),
)
BUILTIN_BY_ID = {schema.id: schema for schema in BUILTINS}
BUILTIN_NAMES = frozenset(schema.name for schema in BUILTINS)


def is_builtin(schema: ManifestSchema) -> bool:
    return schema.org_id == BUILTIN_ORG
