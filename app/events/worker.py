"""The dispatcher, the webhook sender and the periodic background loops as tasks of one
process: inside ``reelhouse serve`` (the embedded default) or as a ``reelhouse worker`` process.

A new kind of periodic work is a ``BackgroundLoop`` in its own module, added to ``LOOPS``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from types import TracebackType

from app.audit.retention import AuditRetention
from app.automations.actions import RenderSubmitter
from app.automations.replays import ReplayWindowPruner
from app.automations.runner import AutomationRunner
from app.automations.schedules import ScheduleTicker
from app.background import BackgroundLoop, WorkerServices
from app.database import Database
from app.events.bus import EventBus
from app.events.dispatcher import Dispatcher
from app.events.sender import DeliveryQuota, Renderer, Sender, event_payload
from app.idempotency.expiry import IdempotencyExpiry
from app.media.processing import MediaProbe
from app.settings import Settings
from app.storage import ObjectStorage, build_storage
from app.storage.removal import ObjectRemoval
from app.telemetry.retention import TelemetryRetention

logger = logging.getLogger("reelhouse.events")

LOOPS: tuple[type[BackgroundLoop], ...] = (
    MediaProbe,
    ObjectRemoval,
    ScheduleTicker,
    AutomationRunner,
    ReplayWindowPruner,
    TelemetryRetention,
    AuditRetention,
    IdempotencyExpiry,
)


class EventWorker:
    def __init__(
        self,
        db: Database,
        bus: EventBus,
        settings: Settings,
        *,
        render: Renderer = event_payload,
        storage: ObjectStorage | None = None,
        submit_render: RenderSubmitter | None = None,
        loops: tuple[type[BackgroundLoop], ...] = LOOPS,
        quota: DeliveryQuota | None = None,
    ) -> None:
        self.bus = bus
        self._own_storage = storage is None
        self.storage = storage or build_storage(settings)
        services = WorkerServices(db, bus, settings, self.storage, submit_render)
        self.loops = [loop(services) for loop in loops]
        self.dispatcher = Dispatcher(
            db,
            bus,
            batch_size=settings.events_batch_size,
            poll_seconds=settings.events_poll_seconds,
        )
        self.sender = Sender(db, settings, bus=bus, render=render, quota=quota)
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        await self.bus.start()
        self._tasks = [
            asyncio.create_task(self.dispatcher.run(), name="reelhouse-dispatcher"),
            asyncio.create_task(self.sender.run(), name="reelhouse-sender"),
            *(
                asyncio.create_task(loop.run(), name=f"reelhouse-{loop.name}")
                for loop in self.loops
            ),
        ]
        for task in self._tasks:
            task.add_done_callback(_report_crash)

    async def stop(self, grace_seconds: float = 15.0) -> None:
        """Let the dispatcher finish its batch and the sender record what it sent, then
        cancel whatever still runs after ``grace_seconds``. Never raises."""
        self.dispatcher.stop()
        self.sender.stop()
        for loop in self.loops:
            loop.stop()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=grace_seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        with contextlib.suppress(Exception):
            await self.sender.aclose()
        for loop in self.loops:
            with contextlib.suppress(Exception):
                await loop.aclose()
        if self._own_storage:
            with contextlib.suppress(Exception):
                await self.storage.close()

    async def __aenter__(self) -> EventWorker:
        await self.start()
        return self

    async def __aexit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.stop()


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("%s stopped", task.get_name(), exc_info=task.exception())
