"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from app.clock import as_utc
from app.crypto import SecretBox, SecretBoxError

logger = logging.getLogger("reelhouse.crypto")

SECRET_BOX_ATTRIBUTE = "reelhouse_secret_box"
"""Where ``app.database.Database`` hangs its ``SecretBox`` on each engine's dialect: the one
object a column type is handed at every bind and fetch."""

JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out; SQLite would otherwise return naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return as_utc(value)


class StrEnumType(TypeDecorator[StrEnum]):
    """A string column holding a ``StrEnum``'s values (not a native PostgreSQL enum, so adding
    a member needs no migration); rows come back as enum members."""

    impl = String(16)
    cache_ok = True

    def __init__(self, enum: type[StrEnum]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> StrEnum | None:
        return None if value is None else self.enum(value)


class SealedText(TypeDecorator[str]):
    """A secret the server must read back (a webhook signing secret), stored sealed by the
    process's ``SecretBox``: plaintext in Python, ``v1.<key id>.<ciphertext>`` in the table, so
    a dump, a replica or a database log line never holds it. The one place such columns are
    encrypted and decrypted.

    A stored value that cannot be opened (its key is no longer configured, or it was altered)
    reads as None and is logged, so one unreadable row fails only where its secret is used.

    ``legacy_prefix``: values written before the column was sealed, as ``<prefix><plaintext>``,
    still read (and ``reelhouse secret-key reseal`` seals them).
    """

    impl = Text
    cache_ok = True

    def __init__(self, legacy_prefix: str | None = None) -> None:
        super().__init__()
        self.legacy_prefix = legacy_prefix

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else _box(dialect).seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        try:
            return self.opened(_box(dialect), value)
        except SecretBoxError as error:
            logger.error("a stored secret cannot be opened: %s", error)
            return None

    def opened(self, box: SecretBox, stored: str) -> str:
        """The plaintext of a stored value, or ``SecretBoxError``."""
        if self.legacy_prefix is not None and stored.startswith(self.legacy_prefix):
            return stored[len(self.legacy_prefix) :]
        return box.open(stored)


def _box(dialect: Dialect) -> SecretBox:
    box: SecretBox | None = getattr(dialect, SECRET_BOX_ATTRIBUTE, None)
    if box is None:
        raise RuntimeError("this Database was made without a SecretBox; sealed columns need one")
    return box
