"""Periodic background work run by the event worker (inside ``reelhouse serve`` or in
``reelhouse worker`` processes): each kind of work is one ``BackgroundLoop`` subclass in its
own module, listed once in ``app.events.worker.LOOPS``.

Every loop must be safe with any number of copies running in other processes: it claims its
rows with leases or ``FOR UPDATE SKIP LOCKED``, never by being alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Table, delete, select, tuple_

from app.automations.actions import RenderSubmitter
from app.database import Database
from app.events.bus import EventBus
from app.settings import Settings
from app.storage import ObjectStorage

logger = logging.getLogger("reelhouse.background")


@dataclass(frozen=True)
class WorkerServices:
    """What background loops get. ``submit_render`` is a domain operation the wiring (factory,
    CLI) provides, since ``app/`` does not import the resolvers that implement it."""

    db: Database
    bus: EventBus
    settings: Settings
    storage: ObjectStorage
    submit_render: RenderSubmitter | None = None


class BackgroundLoop(ABC):
    name: ClassVar[str]
    signal: ClassVar[str | None] = None
    """The bus signal that wakes the loop early (work was committed somewhere)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not getattr(cls, "name", "").strip():
            raise TypeError(f"{cls.__qualname__} must set `name`")

    def __init__(self, services: WorkerServices) -> None:
        self.services = services
        self.db = services.db
        self.settings = services.settings
        self.stopping = False
        self._halt = asyncio.Event()

    @abstractmethod
    async def run_once(self) -> bool:
        """Do one batch of work; True if more may be waiting right now."""

    def idle_seconds(self) -> float:
        """How long to wait for a signal when there was nothing to do."""
        return self.settings.events_poll_seconds

    async def aclose(self) -> None:  # noqa: B027 (optional: most loops hold nothing)
        """Release what the loop holds (clients) once it has stopped."""

    def stop(self) -> None:
        """Finish the batch in hand, then return from ``run``; heard even before ``run``
        starts and during an idle wait."""
        self.stopping = True
        self._halt.set()
        if self.signal is not None:
            self.services.bus.signal(self.signal).set()

    async def run(self) -> None:
        wake = self.services.bus.signal(self.signal) if self.signal is not None else None
        while not self.stopping:
            if wake is not None:
                wake.clear()
            busy = False
            try:
                busy = await self.run_once()
            except Exception:
                logger.exception("%s failed; retrying", self.name)
            if busy or self.stopping:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for((wake or self._halt).wait(), self.idle_seconds())


async def delete_before(
    db: Database, table: Table, column: str, cutoff: datetime, chunk: int = 5000
) -> int:
    """Delete ``table``'s rows whose ``column`` is before ``cutoff``, ``chunk`` rows per short
    transaction (a retention sweep never holds locks for long, and copies in several workers
    delete a row once); returns how many went."""
    key = tuple_(*table.primary_key.columns)
    chosen = select(*table.primary_key.columns).where(table.c[column] < cutoff).limit(chunk)
    total = 0
    while True:
        async with db.writing() as session:
            result = await session.execute(delete(table).where(key.in_(chosen)))
        deleted = int(getattr(result, "rowcount", 0) or 0)
        total += deleted
        if deleted < chunk:
            return total
