"""A process's cache of validated credentials, dropped when anything they depend on changes.

API keys and access tokens are both read from the store once per process, then served from
here until their time-to-live ends or an announcement (``app.auth.key_changes``) names an id
they depend on (the key; the token, its grant, client or user). A load that raced such an
announcement is not cached, and while announcements may be missed the cache is off.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class _Slot(Generic[E]):
    entry: E
    depends_on: frozenset[str]
    cached_at: float


class ChangeAwareCache(Generic[E]):
    def __init__(self, *, cache_seconds: float, max_entries: int, caching: bool) -> None:
        self._ttl = cache_seconds
        self._max = max_entries
        self._slots: dict[str, _Slot[E]] = {}
        self._caching = caching
        self._epoch = 0
        """Grows on every invalidation: a load that raced one must not be cached."""

    @property
    def caching(self) -> bool:
        return self._caching

    def set_caching(self, enabled: bool, /) -> None:
        """Switch the cache on (invalidations are reaching us) or off (they may not be);
        either way every cached entry is dropped, since some may have missed a change."""
        self._caching = enabled
        self.forget()

    def forget(self, changed_id: str | None = None, /) -> None:
        """Drop what depends on ``changed_id``, or everything."""
        self._epoch += 1
        if changed_id is None:
            self._slots.clear()
            return
        for key in [k for k, slot in self._slots.items() if changed_id in slot.depends_on]:
            self._slots.pop(key, None)

    async def cached(self, key: str, load: Callable[[], Awaitable[tuple[E, frozenset[str]]]]) -> E:
        """The entry for ``key``, loaded (with the ids it depends on) when not cached."""
        slot = self._slots.get(key) if self._caching else None
        if slot is not None and time.monotonic() - slot.cached_at <= self._ttl:
            return slot.entry
        epoch = self._epoch
        entry, depends_on = await load()
        if self._caching and epoch == self._epoch:
            if len(self._slots) >= self._max:
                self._slots.clear()
            self._slots[key] = _Slot(entry, depends_on, time.monotonic())
        return entry
