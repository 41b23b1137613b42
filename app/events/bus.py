"""The event bus: committed events to GraphQL subscribers, and wake-up signals to workers.

In-process by default. With Redis, everything goes through pub/sub channels under the settings'
prefix, so an event dispatched by one process reaches subscribers connected to any other, and a
commit in an API process wakes a dispatcher in a worker process at once (polling remains the
fallback for anything missed while Redis was unreachable).

Pub/sub forgets what it could not deliver, so the bus never pretends otherwise: its reader
(``app.redis.listen``) has its own connection without silent reconnects, pings while idle, and
the moment the link drops (an error, or silence) every subscription of this process is
interrupted, so subscribers resume
from their last cursor (replayed from the outbox) instead of missing events without knowing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Any

import orjson

from app.events.records import EventRecord
from app.redis import listen

logger = logging.getLogger("reelhouse.events")

Accept = Callable[[EventRecord], bool]

OUTBOX = "outbox"
"""Signal: events were committed (dispatchers wake)."""
DELIVERIES = "deliveries"
"""Signal: deliveries became due (senders wake)."""
MEDIA = "media"
"""Signal: an upload was completed (media probes wake)."""
RUNS = "runs"
"""Signal: automation runs were queued (runners wake)."""
SIGNALS = (OUTBOX, DELIVERIES, MEDIA, RUNS)


class SubscriberTooSlow(Exception):
    """The subscriber's buffer overflowed; it missed events and must resume from its cursor."""


class FanOutInterrupted(Exception):
    """This process lost its link to the events other processes dispatch; resume from the last
    cursor (the outbox has everything)."""


_OVERFLOWED = object()
_INTERRUPTED = object()


class Subscription:
    """One subscriber's buffered stream of accepted events; iterate it, close it when done."""

    def __init__(self, accept: Accept, size: int, release: Callable[[Subscription], None]):
        self._accept = accept
        self._buffer: deque[object] = deque()
        self._arrived = asyncio.Event()
        self._size = size
        self._release = release
        self.ended = False

    def offer(self, record: EventRecord) -> None:
        if self.ended or not self._accept(record):
            return
        if len(self._buffer) >= self._size:
            self._end(_OVERFLOWED)
            return
        self._buffer.append(record)
        self._arrived.set()

    def earliest_position(self) -> int | None:
        """The lowest stream position among the events buffered so far (all were published
        after this subscription began)."""
        positions = [
            item.position
            for item in self._buffer
            if isinstance(item, EventRecord) and item.position is not None
        ]
        return min(positions, default=None)

    def interrupt(self) -> None:
        """End the stream: events may have been published that this process did not hear."""
        self._end(_INTERRUPTED)

    def _end(self, reason: object) -> None:
        if self.ended:
            return
        self.ended = True
        self._buffer.clear()
        self._buffer.append(reason)
        self._arrived.set()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> EventRecord:
        while not self._buffer:
            self._arrived.clear()
            await self._arrived.wait()
        item = self._buffer.popleft()
        if item is _OVERFLOWED:
            raise SubscriberTooSlow("Too many events were buffered for this subscriber.")
        if item is _INTERRUPTED:
            raise FanOutInterrupted("This server lost its link to the event fan-out.")
        assert isinstance(item, EventRecord)
        return item

    def close(self) -> None:
        self._release(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.close()


class EventBus:
    """In-process bus: one process serves subscribers, dispatches and sends."""

    def __init__(self, *, queue_size: int = 1000) -> None:
        self.queue_size = queue_size
        self._subscriptions: set[Subscription] = set()
        self._signals: dict[str, asyncio.Event] = {name: asyncio.Event() for name in SIGNALS}

    @property
    def live(self) -> bool:
        """Whether events published from now on reach this process's subscribers."""
        return True

    def subscribe(self, accept: Accept) -> Subscription:
        subscription = Subscription(accept, self.queue_size, self._subscriptions.discard)
        self._subscriptions.add(subscription)
        return subscription

    def _fan_out(self, records: list[EventRecord]) -> None:
        for subscription in list(self._subscriptions):
            for record in records:
                subscription.offer(record)

    def _interrupt_all(self) -> None:
        for subscription in list(self._subscriptions):
            subscription.interrupt()

    async def publish(self, records: list[EventRecord]) -> None:
        self._fan_out(records)

    def notify(self, signal: str) -> None:
        self._signals[signal].set()

    def signal(self, name: str) -> asyncio.Event:
        """The local flag a worker clears before looking for work and waits on afterwards."""
        return self._signals[name]

    async def start(self) -> None:
        """Begin receiving from other processes (nothing to do in-process)."""

    async def ready(self) -> None:
        """Returns once events published from now on reach this process's subscribers (or a
        bounded wait for that has passed: check ``live``)."""

    async def close(self) -> None:
        self._subscriptions.clear()


class RedisEventBus(EventBus):
    """Pub/sub through Redis: ``<prefix>events`` carries events, ``<prefix>signal:<name>``
    wake-ups. Every process publishes there and reads its own messages back."""

    def __init__(self, redis: Any, prefix: str, url: str, *, queue_size: int = 1000) -> None:
        super().__init__(queue_size=queue_size)
        self.redis = redis
        self.url = url
        self.client_name = f"{prefix}event-bus"
        self.events_channel = f"{prefix}events".encode()
        self.signal_channels = {f"{prefix}signal:{n}".encode(): n for n in SIGNALS}
        self._channel_of = {n: c for c, n in self.signal_channels.items()}
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._pending: set[asyncio.Task[Any]] = set()
        self._notifying: set[str] = set()

    @property
    def live(self) -> bool:
        return self._ready.is_set()

    def subscribe(self, accept: Accept) -> Subscription:
        self._ensure_reader()
        return super().subscribe(accept)

    async def publish(self, records: list[EventRecord]) -> None:
        parts = []
        for record in records:
            try:
                parts.append(orjson.dumps(record.to_message()))
            except TypeError:
                logger.error("event %s cannot be encoded; subscribers replay it", record.id)
        if not parts:
            return
        payload = b"[" + b",".join(parts) + b"]"
        try:
            await self.redis.publish(self.events_channel, payload)
        except Exception:
            logger.exception("could not publish %d events to Redis", len(records))

    def notify(self, signal: str) -> None:
        super().notify(signal)
        if signal in self._notifying:
            return
        self._notifying.add(signal)
        task = asyncio.get_running_loop().create_task(self._publish_signal(signal))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _publish_signal(self, signal: str) -> None:
        self._notifying.discard(signal)
        try:
            await self.redis.publish(self._channel_of[signal], b"")
        except Exception:
            logger.warning("could not publish the %s signal to Redis", signal, exc_info=True)

    def signal(self, name: str) -> asyncio.Event:
        self._ensure_reader()
        return super().signal(name)

    async def start(self) -> None:
        await self.ready()

    async def ready(self) -> None:
        """Subscribe now and wait until Redis confirmed it (bounded: Redis may be down)."""
        self._ensure_reader()
        if not self._ready.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), timeout=5)

    def _ensure_reader(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        delay = 0.05
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("Redis event subscription lost (%s); reconnecting", error)
            finally:
                self._lost()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _listen(self) -> None:
        channels: list[bytes | str] = [self.events_channel, *self.signal_channels]
        confirmed = 0

        def handle(message: dict[str, Any]) -> None:
            nonlocal confirmed
            kind = message.get("type")
            if kind == "subscribe":
                confirmed += 1
                if confirmed == len(channels):
                    self._found()
            elif kind == "message":
                self._receive(message["channel"], message["data"])

        await listen(self.url, channels, self.client_name, handle)

    def _found(self) -> None:
        self._ready.set()
        for event in self._signals.values():
            event.set()

    def _lost(self) -> None:
        if self._ready.is_set():
            self._ready.clear()
            self._interrupt_all()

    def _receive(self, channel: bytes, data: bytes) -> None:
        if channel == self.events_channel:
            try:
                records = [EventRecord.from_message(m) for m in orjson.loads(data)]
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                logger.warning("ignored a malformed event message on %r", channel)
                return
            self._fan_out(records)
            return
        name = self.signal_channels.get(channel)
        if name is not None:
            self._signals[name].set()

    async def close(self) -> None:
        await super().close()
        tasks = [t for t in (self._reader, *self._pending) if t is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        self._reader = None
