"""Holding a credential open: a WebSocket outlives the moment its key was checked, so it is
checked again whenever the key may have changed, on any process, and closed once the key no
longer admits what it admitted.

Every invalidation the key cache hears (``KeyStore.forget``: a revocation, rotation or
narrowing announced through Redis, noticed by the embedded poller, or made in this process)
wakes the connections holding that key at once; the key's expiry and the end of a rotated
secret's grace period are timers; and while invalidations may be missed (the Redis
subscription is down), connections check every second instead of every ``fallback_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from app.auth.keystore import KeyStore
from app.auth.principal import Principal
from app.clock import utcnow
from app.errors import ApiError, ErrorCode

UNRELIABLE_SECONDS = 1.0
"""How often a held key is checked while changes to it may go unheard."""

Recheck = Callable[[], Awaitable[Principal]]
Guard = Callable[[Principal, Recheck], Awaitable[ApiError]]


class KeyWatch:
    def __init__(self, store: KeyStore, *, fallback_seconds: float = 30.0) -> None:
        self._store = store
        self.fallback_seconds = max(fallback_seconds, UNRELIABLE_SECONDS)
        self._holders: dict[str, set[asyncio.Event]] = {}
        store.on_forget(self._changed)

    def _changed(self, key_id: str | None) -> None:
        if key_id is None:
            woken = [event for events in self._holders.values() for event in events]
        else:
            woken = list(self._holders.get(key_id, ()))
        for event in woken:
            event.set()

    def _wait_seconds(self, principal: Principal) -> float:
        seconds = self.fallback_seconds if self._store.caching else UNRELIABLE_SECONDS
        if principal.valid_until is not None:
            remaining = (principal.valid_until - utcnow()).total_seconds()
            seconds = min(seconds, max(remaining, 0.0) + 0.01)
        return seconds

    async def guard(self, principal: Principal, recheck: Recheck) -> ApiError:
        """Returns, with the reason, once ``recheck`` (the check that admitted ``principal``)
        refuses the credential or shows it narrowed; holds on while the store is unreachable."""
        woken = asyncio.Event()
        self._holders.setdefault(principal.key_id, set()).add(woken)
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
                    return ApiError(lost, "The API key's access was narrowed; reconnect.")
                principal = current
        finally:
            holders = self._holders.get(principal.key_id)
            if holders is not None:
                holders.discard(woken)
                if not holders:
                    del self._holders[principal.key_id]
