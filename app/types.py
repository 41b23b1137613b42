"""Type aliases shared across the process, in one place (as ``starlette/types.py`` does)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, TypeAlias

from sqlalchemy.sql import Select

Scope: TypeAlias = MutableMapping[str, Any]
Message: TypeAlias = MutableMapping[str, Any]
Receive: TypeAlias = Callable[[], Awaitable[Message]]
Send: TypeAlias = Callable[[Message], Awaitable[None]]
ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]

JSONScalar: TypeAlias = str | int | float | bool | None
JSON: TypeAlias = dict[str, Any] | list[Any] | JSONScalar

AnySelect: TypeAlias = Select[*tuple[Any, ...]]
"""A select of any columns (SQLAlchemy's ``Select`` is generic in each of them)."""
