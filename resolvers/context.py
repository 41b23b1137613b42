"""What every resolver receives: the store, the caller and this request's dataloaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from app.auth.key_changes import KeyChangeNotifier
from app.auth.principal import Principal
from app.database import Database
from app.idempotency import Idempotency, IdempotentRequest
from app.settings import Settings
from app.storage import ObjectStorage
from app.traffic.record import RequestTraffic

if TYPE_CHECKING:
    from app.events.bus import EventBus
    from resolvers.loaders import Loaders


@dataclass
class Context:
    db: Database
    settings: Settings
    principal: Principal
    request_id: str | None = None
    key_changes: KeyChangeNotifier | None = None
    """Tells every process's key cache about a key change; None where no cache exists."""
    extras: dict[str, object] = field(default_factory=dict)
    bus: EventBus | None = None
    """Set for subscriptions (their live events come from it)."""
    storage: ObjectStorage | None = None
    """Where uploaded files live; None where nothing is uploaded (CLI commands)."""
    traffic: RequestTraffic | None = None
    """The request's cost and rate-limit record; None outside a request (CLI, webhooks)."""
    idempotency: Idempotency | None = None
    idempotent_request: IdempotentRequest | None = None
    """The request's ``Idempotency-Key``, if it is an HTTP write that sent one."""

    @cached_property
    def loaders(self) -> Loaders:
        from resolvers.loaders import Loaders

        return Loaders(self)

    def fresh_loaders(self) -> None:
        """Forget rows loaded so far: a long-lived context (a subscription) calls this between
        events so each one sees current data."""
        self.__dict__.pop("loaders", None)

    @property
    def org_id(self) -> str:
        return self.principal.org_id

    async def announce_change(self, changed_id: str) -> None:
        """Tell every process that what depends on ``changed_id`` (a key, client, user or
        grant) changed, once the write is committed: a process told earlier would reload the
        old row and keep it until the next announcement."""
        notifier = self.key_changes
        if notifier is not None:
            await self.db.after_commit(lambda: notifier.announce(changed_id))
