"""Demo content, created through the same resolvers partners call (so it emits events too)."""

from __future__ import annotations

from app.models import AssetKind, AssetReviewStatus, AssetStatus
from resolvers import assets, projects
from resolvers.context import Context


async def seed_content(ctx: Context) -> None:
    aurora = await projects.create_project(
        ctx,
        {
            "slug": "aurora-pilot",
            "name": "Aurora (pilot)",
            "description": "Animated pilot episode.",
            "render_quota": 500,
            "settings": {"fps": 24, "resolution": "1920x1080"},
            "meta": {"client": "Northwind"},
        },
    )
    await projects.create_project(
        ctx,
        {
            "slug": "tidewater-spot",
            "name": "Tidewater 30s spot",
            "description": "Commercial, three scenes.",
            "settings": {"fps": 25},
        },
    )
    await _seed_assets(ctx, aurora.id)


async def _seed_assets(ctx: Context, project_id: str) -> None:
    key_art = await assets.create_asset(
        ctx,
        {
            "project_id": project_id,
            "name": "Key art, final",
            "type": AssetKind.IMAGE,
            "mime_type": "image/png",
            "size_bytes": 8_421_337,
            "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "url": "https://cdn.example.com/aurora/key-art-final.png",
            "tags": ["key-art", "marketing"],
            "status": AssetStatus.READY,
        },
    )
    await assets.review_asset(
        ctx, key_art.id, AssetReviewStatus.APPROVED, "Signed off by the client."
    )
    await assets.create_asset(
        ctx,
        {
            "project_id": project_id,
            "name": "Hero rig v3",
            "type": AssetKind.MODEL,
            "mime_type": "model/gltf-binary",
            "size_bytes": 52_428_800,
            "url": "https://cdn.example.com/aurora/hero-rig-v3.glb",
            "tags": ["character:hero", "rig"],
            "status": AssetStatus.PROCESSING,
            "meta": {"polycount": 48000},
        },
    )
    await assets.create_asset(
        ctx,
        {
            "project_id": project_id,
            "name": "Opening theme (temp)",
            "type": AssetKind.AUDIO,
            "mime_type": "audio/wav",
            "tags": ["music", "temp"],
        },
    )
