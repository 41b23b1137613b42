"""What every resolver receives: the store, the caller and this request's dataloaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from app.auth.key_changes import KeyChangeNotifier
from app.auth.principal import Principal
from app.database import Database
from app.settings import Settings

if TYPE_CHECKING:
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

    @cached_property
    def loaders(self) -> Loaders:
        from resolvers.loaders import Loaders

        return Loaders(self)

    @property
    def org_id(self) -> str:
        return self.principal.org_id
