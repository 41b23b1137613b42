"""Demo content, created through the same resolvers partners call (so it emits events too)."""

from __future__ import annotations

from app.models import AssetKind, AssetReviewStatus, AssetStatus, JobKind
from resolvers import assets, characters, jobs, projects, scenes, segments, templates
from resolvers.context import Context

PILOT_CAST = {
    "mira": ("Mira", "Lighthouse keeper's daughter; curious, stubborn."),
    "oto": ("Oto", "A clockwork gull that only flies at night."),
    "keeper": ("The Keeper", "Mira's father; speaks in weather forecasts."),
}

PILOT_SCENES: list[tuple[str, str, list[tuple[str, int, list[str]]]]] = [
    (
        "Storm at the lighthouse",
        "Night. Waves break over the rocks.",
        [
            ("The lamp flickers and dies.", 4000, []),
            ("Mira climbs the spiral stairs with a lantern.", 6500, ["mira"]),
            ('"Gale force nine, maybe ten," the Keeper mutters.', 3000, ["keeper", "mira"]),
        ],
    ),
    (
        "The gull in the gears",
        "Mira finds Oto tangled in the lamp's clockwork.",
        [
            ("A metallic cry from inside the lamp housing.", 2500, []),
            ("Mira frees Oto; its eyes light up amber.", 5000, ["mira", "oto"]),
        ],
    ),
    (
        "First flight",
        "Dawn. Oto circles the lighthouse once, then heads out to sea.",
        [("Oto takes off; Mira waves from the gallery.", 7000, ["oto", "mira"])],
    ),
]


async def seed_content(ctx: Context) -> None:
    pilot = await projects.create_project(
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
    await seed_pilot_story(ctx, pilot.id)
    await _seed_assets(ctx, pilot.id)
    await seed_jobs(ctx, pilot.id)


async def _seed_assets(ctx: Context, project_id: str) -> None:
    key_art, _ = await assets.create_asset(
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


async def seed_pilot_story(ctx: Context, project_id: str) -> None:
    cast: dict[str, str] = {}
    for key, (name, description) in PILOT_CAST.items():
        character = await characters.create_character(
            ctx, {"project_id": project_id, "name": name, "description": description}
        )
        cast[key] = character.id
    for title, description, beats in PILOT_SCENES:
        scene = await scenes.create_scene(
            ctx, {"project_id": project_id, "title": title, "description": description}
        )
        for text, duration_ms, who in beats:
            await segments.create_segment(
                ctx,
                {
                    "scene_id": scene.id,
                    "text": text,
                    "duration_ms": duration_ms,
                    "character_ids": [cast[k] for k in who],
                },
            )


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
