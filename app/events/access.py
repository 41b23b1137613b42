"""Who may read which event: the one rule behind the event feed, subscriptions and webhooks.

An event carries its aggregate's data, so reading it is reading that aggregate: it takes
``events:read`` and the read scope of the event's family (``job.*`` needs ``jobs:read``), and
a key limited to projects reads only its projects' events (organisation-wide events, with no
project, are for organisation-wide keys). A webhook endpoint receives what the credential that
saved it could read, checked again at every delivery with that credential's current rights.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.auth.principal import Principal
from app.auth.scopes import Scope

FAMILY_SCOPES: dict[str, Scope] = {
    "project": Scope.PROJECTS_READ,
    "character": Scope.CONTENT_READ,
    "scene": Scope.CONTENT_READ,
    "segment": Scope.CONTENT_READ,
    "asset": Scope.CONTENT_READ,
    "template": Scope.CONTENT_READ,
    "manifest": Scope.CONTENT_READ,
    "manifest_schema": Scope.CONTENT_READ,
    "job": Scope.JOBS_READ,
    "automation": Scope.AUTOMATIONS_READ,
    "telemetry": Scope.TELEMETRY_READ,
    "api_key": Scope.KEYS_READ,
    "oauth_client": Scope.KEYS_READ,
    "user": Scope.USERS_READ,
    "webhook_endpoint": Scope.WEBHOOKS_READ,
}
"""Event family (the first part of the event type: the aggregate type, or a model's
``__event_prefix__`` head, so ``automation.run.*`` is ``automation``'s) → the scope that reads
its aggregates. A family missing here is readable by ``admin`` only."""


def family_of(event_type: str) -> str:
    return event_type.split(".", 1)[0]


def may_read_family(principal: Principal, family: str) -> bool:
    if not principal.has(Scope.EVENTS_READ):
        return False
    scope = FAMILY_SCOPES.get(family)
    return principal.has(scope) if scope is not None else principal.has(Scope.ADMIN)


def within_reach(principal: Principal, org_id: str, project_id: str | None) -> bool:
    """Tenancy and project limits alone (a caller that checked the family's scope itself)."""
    if org_id != principal.org_id:
        return False
    allowed = principal.project_ids
    return allowed is None or (project_id is not None and project_id in allowed)


def may_read(principal: Principal, org_id: str, event_type: str, project_id: str | None) -> bool:
    """Whether ``principal`` may read an event of ``org_id``, of this type and project."""
    return may_read_family(principal, family_of(event_type)) and within_reach(
        principal, org_id, project_id
    )


def readable_families(principal: Principal) -> list[str] | None:
    """The families ``principal`` reads, for a SQL filter; None when it reads every family."""
    if principal.has(Scope.ADMIN):
        return None
    return sorted(f for f in FAMILY_SCOPES if may_read_family(principal, f))


def families_matched(patterns: Iterable[str] | None) -> set[str]:
    """The known families an event-type filter can match (``*`` and ``*.x`` match all)."""
    found: set[str] = set()
    for pattern in patterns or ["*"]:
        head = pattern.split(".", 1)[0]
        if head == "*":
            return set(FAMILY_SCOPES)
        if head in FAMILY_SCOPES:
            found.add(head)
    return found


def scopes_needed(patterns: Iterable[str] | None) -> list[Scope]:
    """What a credential must hold to receive the events ``patterns`` match."""
    needed = {Scope.EVENTS_READ, *(FAMILY_SCOPES[f] for f in families_matched(patterns))}
    return sorted(needed, key=lambda s: s.value)


def missing_scopes(principal: Principal, patterns: Iterable[str] | None) -> list[Scope]:
    return [s for s in scopes_needed(patterns) if not principal.has(s)]
