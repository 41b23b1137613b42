"""Demo content, created through the same resolvers partners call (so it emits events too)."""

from __future__ import annotations

from resolvers import characters, projects, scenes, segments
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
