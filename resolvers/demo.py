"""Demo content, created through the same resolvers partners call (so it emits events too)."""

from __future__ import annotations

from resolvers import projects
from resolvers.context import Context


async def seed_content(ctx: Context) -> None:
    await projects.create_project(
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
