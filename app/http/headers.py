"""Reading request headers from an ASGI scope (names are lowercase bytes there)."""

from __future__ import annotations

from app.types import Scope


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of header ``name`` (lowercase, e.g. ``b"content-type"``), or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def headers(scope: Scope, name: bytes) -> list[str]:
    """Every value of header ``name``, in order."""
    return [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]
