"""Every console route: (section, path under ``/console``, handler, methods)."""

from __future__ import annotations

from collections.abc import Sequence

from console import audit, clients, deliveries, events, keys, overview, users, webhooks
from console.app import Handler
from console.sections import Section

Route = tuple[Section, str, Handler, Sequence[str]]

ROUTES: tuple[Route, ...] = (
    *overview.ROUTES,
    *keys.ROUTES,
    *webhooks.ROUTES,
    *deliveries.ROUTES,
    *events.ROUTES,
    *audit.ROUTES,
    *clients.ROUTES,
    *users.ROUTES,
)
