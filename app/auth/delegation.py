"""No privilege escalation: a key can only hand out (or manage) access it holds itself.

Scopes must be held by the caller (``admin`` holds them all). Limits are inherited too: a key
limited to projects, IP ranges or an expiry cannot mint a key with wider projects, wider ranges
or a later expiry, whatever its scopes, or a leaked restricted key could launder itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.auth.network import networks_of
from app.auth.principal import Principal
from app.auth.scopes import Scope


@dataclass(frozen=True, slots=True)
class Grant:
    """The access a key gives: what a new or changed key would hold."""

    scopes: frozenset[Scope]
    project_ids: frozenset[str] | None
    allowed_cidrs: tuple[str, ...] | None
    expires_at: datetime | None


def delegation_problem(principal: Principal, grant: Grant) -> str | None:
    """What in ``grant`` exceeds ``principal``'s own access (a phrase such as "scopes it does
    not hold: admin"), or None when it may give it."""
    missing = sorted(s.value for s in grant.scopes if not principal.has(s))
    if missing:
        return f"scopes it does not hold: {', '.join(missing)}"
    if principal.project_ids is not None and (
        grant.project_ids is None or not grant.project_ids <= principal.project_ids
    ):
        return "projects beyond the ones it is limited to"
    if principal.allowed_cidrs is not None:
        own = networks_of(principal.allowed_cidrs)
        wanted = networks_of(grant.allowed_cidrs or ())
        if not wanted or not all(
            any(w.version == o.version and w.subnet_of(o) for o in own)  # type: ignore[arg-type]
            for w in wanted
        ):
            return "IP ranges beyond the ones it is limited to"
    if principal.expires_at is not None and (
        grant.expires_at is None or grant.expires_at > principal.expires_at
    ):
        return "a later expiry than its own"
    return None
