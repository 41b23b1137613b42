"""Holding a credential open: a WebSocket outlives the moment its credential was checked, so it
is checked again whenever the credential may have changed, on any process, and closed once the
credential no longer admits what it admitted.

``KeyWatch`` hears the same change announcements as the credential caches (it is one of the
``CredentialCaches``): a key revoked, rotated or narrowed; a token, its grant or client revoked;
its user disabled or given another role, whether announced through Redis, noticed by the
embedded poller, or made in this process. Each wakes the connections whose principal depends on
the changed id at once; a key's expiry, the end of a rotated secret's grace period and a token's
expiry are timers; and while announcements may be missed (the Redis subscription is down),
connections check every second instead of every ``fallback_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from app.auth.principal import Principal
from app.clock import utcnow
from app.errors import ApiError, ErrorCode

UNRELIABLE_SECONDS = 1.0
"""How often a held credential is checked while changes to it may go unheard."""

Recheck = Callable[[], Awaitable[Principal]]
Guard = Callable[[Principal, Recheck], Awaitable[ApiError]]


class KeyWatch:
    def __init__(self, *, caching: bool, fallback_seconds: float = 30.0) -> None:
        self._reliable = caching
        self.fallback_seconds = max(fallback_seconds, UNRELIABLE_SECONDS)
        self._holders: dict[str, set[asyncio.Event]] = {}

    def forget(self, changed_id: str | None = None, /) -> None:
        """Wake the holders of what depends on ``changed_id`` (or everyone) to check again."""
        if changed_id is None:
            woken = {event for events in self._holders.values() for event in events}
        else:
            woken = set(self._holders.get(changed_id, ()))
        for event in woken:
            event.set()

    def set_caching(self, enabled: bool, /) -> None:
        """Announcements are reaching this process (or may not be: then poll every second)."""
        self._reliable = enabled
        self.forget()

    def _wait_seconds(self, principal: Principal) -> float:
        seconds = self.fallback_seconds if self._reliable else UNRELIABLE_SECONDS
        if principal.valid_until is not None:
            remaining = (principal.valid_until - utcnow()).total_seconds()
            seconds = min(seconds, max(remaining, 0.0) + 0.01)
        return seconds

    async def guard(self, principal: Principal, recheck: Recheck) -> ApiError:
        """Returns, with the reason, once ``recheck`` (the check that admitted ``principal``)
        refuses the credential or shows it narrowed; holds on while the store is unreachable."""
        woken = asyncio.Event()
        held = principal.depends_on
        for changed_id in held:
            self._holders.setdefault(changed_id, set()).add(woken)
        try:
            while True:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), self._wait_seconds(principal))
                woken.clear()
                try:
                    current = await recheck()
                except ApiError as error:
                    if error.code is ErrorCode.SERVICE_UNAVAILABLE:
                        continue
                    return error
                lost = current.narrowed_since(principal)
                if lost is not None:
                    return ApiError(lost, "The credential's access was narrowed; reconnect.")
                principal = current
        finally:
            for changed_id in held:
                holders = self._holders.get(changed_id)
                if holders is not None:
                    holders.discard(woken)
                    if not holders:
                        del self._holders[changed_id]
