"""The committed snapshots: written by ``make snapshots``, checked by the test suite."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson

from app.contract.graphql_changes import graphql_breaking_changes
from app.contract.openapi_changes import openapi_breaking_changes

SDL_SNAPSHOT = Path("docs/schema.graphql")
OPENAPI_SNAPSHOT = Path("docs/openapi.json")
REGENERATE = "make snapshots"


@dataclass(frozen=True)
class Snapshots:
    """The two documents as text, exactly as committed."""

    sdl: str
    openapi: str

    @classmethod
    def of(cls, sdl: str, openapi: dict[str, object]) -> Snapshots:
        text = orjson.dumps(openapi, option=orjson.OPT_INDENT_2).decode() + "\n"
        return cls(sdl.rstrip("\n") + "\n", text)

    @classmethod
    def read(cls, root: Path) -> Snapshots | None:
        try:
            return cls((root / SDL_SNAPSHOT).read_text(), (root / OPENAPI_SNAPSHOT).read_text())
        except FileNotFoundError:
            return None


def write(root: Path, current: Snapshots) -> None:
    (root / SDL_SNAPSHOT).parent.mkdir(parents=True, exist_ok=True)
    (root / SDL_SNAPSHOT).write_text(current.sdl)
    (root / OPENAPI_SNAPSHOT).write_text(current.openapi)


def check(committed: Snapshots | None, current: Snapshots) -> list[str]:
    """Problems, each saying what to do; empty when the snapshots are current.

    Breaking changes come first: regenerating would not make them safe, deprecating first
    would."""
    if committed is None:
        return [f"No committed snapshots in docs/: run `{REGENERATE}` and commit them."]
    breaking = graphql_breaking_changes(committed.sdl, current.sdl)
    breaking += openapi_breaking_changes(
        orjson.loads(committed.openapi), orjson.loads(current.openapi)
    )
    if breaking:
        return [
            *breaking,
            'These changes break clients. Mark what goes away @deprecated(reason: "… '
            '(deprecated YYYY-MM-DD, sunset YYYY-MM-DD)") in one release, commit the '
            f"snapshots (`{REGENERATE}`), and remove it in a later one (docs/versioning.md).",
        ]
    if committed != current:
        stale = [
            name
            for name, before, after in (
                (SDL_SNAPSHOT, committed.sdl, current.sdl),
                (OPENAPI_SNAPSHOT, committed.openapi, current.openapi),
            )
            if before != after
        ]
        names = " and ".join(str(n) for n in stale)
        return [
            f"{names} differ from the schema the server runs: run `{REGENERATE}`, review the "
            "diff, add the change to CHANGELOG.md and commit."
        ]
    return []
