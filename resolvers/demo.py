"""Demo content, created through the same resolvers partners call (so it emits events too)."""

from __future__ import annotations

from app.models import JobKind
from resolvers import jobs, projects, templates
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
    await seed_jobs(ctx, aurora.id)


async def seed_jobs(ctx: Context, project_id: str) -> None:
    """A title-card template, a queued generate job and a render job a farm is running."""
    card = await templates.create_template(
        ctx,
        {
            "project_id": project_id,
            "name": "Title card",
            "description": "Episode title over a tinted background.",
            "style": {
                "text": "{{title}}",
                "subtitle": "Episode {{episode}}",
                "font": {"family": "Inter", "size": "{{size}}"},
                "background": "{{background}}",
                "transition": "{{transition}}",
            },
            "variables": [
                {"key": "title", "type": "string", "required": True},
                {"key": "episode", "type": "number", "default": 1},
                {"key": "size", "type": "number", "default": 64},
                {"key": "background", "type": "color", "default": "#101820"},
                {
                    "key": "transition",
                    "type": "select",
                    "options": ["cut", "fade", "wipe"],
                    "default": "fade",
                },
            ],
        },
    )
    await jobs.submit_job(
        ctx,
        {
            "project_id": project_id,
            "kind": JobKind.GENERATE,
            "template_id": card.id,
            "variables": {"title": "The Long Night", "episode": 2},
            "input": {"prompt": "aurora over a frozen harbour"},
        },
    )
    render = await jobs.submit_job(
        ctx,
        {
            "project_id": project_id,
            "kind": JobKind.RENDER,
            "template_id": card.id,
            "variables": {"title": "Aurora", "background": "#0b3d91"},
            "input": {"frames": [1, 240]},
        },
    )
    claimed = await jobs.claim_job(ctx, [JobKind.RENDER], project_id)
    if claimed is not None and claimed.id == render.id:
        await jobs.report_progress(ctx, render.id, 40, "frames 1-96 of 240")
