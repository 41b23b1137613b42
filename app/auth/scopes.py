"""Scopes of API keys and the presets admins pick from."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Scope(StrEnum):
    PROJECTS_READ = "projects:read"
    PROJECTS_WRITE = "projects:write"
    CONTENT_READ = "content:read"
    CONTENT_WRITE = "content:write"
    JOBS_READ = "jobs:read"
    JOBS_WRITE = "jobs:write"
    JOBS_EXECUTE = "jobs:execute"
    ASSETS_APPROVE = "assets:approve"
    WEBHOOKS_READ = "webhooks:read"
    WEBHOOKS_WRITE = "webhooks:write"
    EVENTS_READ = "events:read"
    KEYS_READ = "keys:read"
    KEYS_WRITE = "keys:write"
    AUDIT_READ = "audit:read"
    TELEMETRY_READ = "telemetry:read"
    TELEMETRY_WRITE = "telemetry:write"
    ADMIN = "admin"


READ_ONLY: frozenset[Scope] = frozenset(s for s in Scope if s.value.endswith(":read"))
FULL_ACCESS: frozenset[Scope] = frozenset(Scope) - {Scope.ADMIN}
PRESETS: dict[str, frozenset[Scope]] = {"read_only": READ_ONLY, "full_access": FULL_ACCESS}


_VALUES: dict[str, Scope] = {s.value: s for s in Scope}


def unknown_scopes(values: Iterable[str]) -> list[str]:
    """The values that are neither a scope nor a preset name, in the order given."""
    return [v for v in values if v not in _VALUES and v not in PRESETS]


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    """Scopes and preset names to a set of scopes; raises ``ValueError`` naming an unknown one."""
    result: set[Scope] = set()
    for value in values:
        if value in PRESETS:
            result |= PRESETS[value]
        elif value in _VALUES:
            result.add(_VALUES[value])
        else:
            raise ValueError(f"unknown scope {value!r}")
    return frozenset(result)


def stored_scopes(values: Iterable[str]) -> frozenset[Scope]:
    """Scopes read back from the store; a value no longer known grants nothing."""
    return frozenset(_VALUES[v] for v in values if v in _VALUES)


def grants(held: frozenset[Scope], wanted: Scope) -> bool:
    """``admin`` holds every scope; a ``write`` scope does not imply its ``read``."""
    return wanted in held or Scope.ADMIN in held
