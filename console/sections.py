"""The console's pages as the navigation lists them, each with the scope it takes to open.

A section a person's role does not grant is neither listed nor served (403): what the API
would refuse anyway is not offered. Declarations are checked at import.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.principal import Principal
from app.auth.scopes import Scope

PREFIX = "/console"


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    path: str
    reads: Scope | None
    """What it takes to open the page; None: anyone signed in."""
    manages: Scope | None = None
    """What its actions take (forms are offered only with it)."""

    def __post_init__(self) -> None:
        if not self.path.startswith(PREFIX + "/"):
            raise ValueError(f"section {self.key!r}: path must start with {PREFIX}/")
        if self.manages is not None and self.reads is None:
            raise ValueError(f"section {self.key!r}: a section with actions needs a read scope")

    def open_to(self, principal: Principal) -> bool:
        return self.reads is None or principal.has(self.reads)

    def manageable_by(self, principal: Principal) -> bool:
        return self.manages is not None and principal.has(self.manages)


OVERVIEW = Section("overview", "Overview", f"{PREFIX}/", None)
KEYS = Section("keys", "API keys", f"{PREFIX}/keys", Scope.KEYS_READ, Scope.KEYS_WRITE)
WEBHOOKS = Section(
    "webhooks", "Webhooks", f"{PREFIX}/webhooks", Scope.WEBHOOKS_READ, Scope.WEBHOOKS_WRITE
)
DELIVERIES = Section(
    "deliveries", "Deliveries", f"{PREFIX}/deliveries", Scope.WEBHOOKS_READ, Scope.WEBHOOKS_WRITE
)
EVENTS = Section("events", "Events", f"{PREFIX}/events", Scope.EVENTS_READ)
AUDIT = Section("audit", "Audit log", f"{PREFIX}/audit", Scope.AUDIT_READ)
CLIENTS = Section(
    "clients", "OAuth apps", f"{PREFIX}/oauth-clients", Scope.KEYS_WRITE, Scope.KEYS_WRITE
)
"""Owners and admins only: registering applications that act for the organisation."""
USERS = Section("users", "Users", f"{PREFIX}/users", Scope.USERS_WRITE, Scope.USERS_WRITE)
"""Owners and admins only."""

SECTIONS: tuple[Section, ...] = (
    OVERVIEW,
    KEYS,
    WEBHOOKS,
    DELIVERIES,
    EVENTS,
    AUDIT,
    CLIENTS,
    USERS,
)

if len({s.key for s in SECTIONS}) != len(SECTIONS):
    raise RuntimeError("console sections need distinct keys")
