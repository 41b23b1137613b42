"""The public contract as committed snapshots, and the gate that keeps changes to it safe.

``docs/schema.graphql`` and ``docs/openapi.json`` are what partners build against. A change that
would break a client (a removed field, route or enum value, a newly required input) fails the
check unless what it removes was marked deprecated in the committed snapshot first. Everything
here works on the documents alone; the CLI hands it the documents the server would serve.
"""

from __future__ import annotations

from app.contract.graphql_changes import graphql_breaking_changes
from app.contract.openapi_changes import openapi_breaking_changes
from app.contract.snapshots import OPENAPI_SNAPSHOT, SDL_SNAPSHOT, Snapshots, check, write

__all__ = [
    "OPENAPI_SNAPSHOT",
    "SDL_SNAPSHOT",
    "Snapshots",
    "check",
    "graphql_breaking_changes",
    "openapi_breaking_changes",
    "write",
]
