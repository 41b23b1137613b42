"""Scopes of API keys and OAuth tokens, and the presets admins pick from."""

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
    AUTOMATIONS_READ = "automations:read"
    AUTOMATIONS_WRITE = "automations:write"
    USERS_READ = "users:read"
    USERS_WRITE = "users:write"
    TELEMETRY_READ = "telemetry:read"
    TELEMETRY_WRITE = "telemetry:write"
    ADMIN = "admin"


DESCRIPTIONS: dict[Scope, str] = {
    Scope.PROJECTS_READ: "See projects, their settings and render quotas",
    Scope.PROJECTS_WRITE: "Create, change and archive projects",
    Scope.CONTENT_READ: "See characters, scenes, segments, assets and templates",
    Scope.CONTENT_WRITE: "Create and change characters, scenes, segments, assets and templates",
    Scope.JOBS_READ: "See generation and render jobs",
    Scope.JOBS_WRITE: "Submit and cancel generation and render jobs",
    Scope.JOBS_EXECUTE: "Claim and run render jobs as a render farm",
    Scope.ASSETS_APPROVE: "Approve and reject assets",
    Scope.WEBHOOKS_READ: "See webhook endpoints and their deliveries",
    Scope.WEBHOOKS_WRITE: "Create, change and replay webhook endpoints",
    Scope.EVENTS_READ: "See the organisation's events and subscribe to them",
    Scope.KEYS_READ: "See API keys and OAuth applications (never their secrets)",
    Scope.KEYS_WRITE: "Create, rotate and revoke API keys and OAuth applications",
    Scope.AUDIT_READ: "Read the audit log",
    Scope.AUTOMATIONS_READ: "See automations and their runs",
    Scope.AUTOMATIONS_WRITE: "Create, change, run and delete automations",
    Scope.USERS_READ: "See the organisation's members",
    Scope.USERS_WRITE: "Invite, change and disable members",
    Scope.TELEMETRY_READ: "See usage telemetry and its statistics",
    Scope.TELEMETRY_WRITE: "Send usage telemetry",
    Scope.ADMIN: "Everything, including managing owners",
}
"""What each scope lets an application do, in the words the consent screen and the console
show (every scope has one: checked at import)."""

if missing := set(Scope) - set(DESCRIPTIONS):
    raise RuntimeError(f"scopes without a description: {sorted(missing)}")

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
