"""Opaque secrets the identity server hands out: client secrets, authorization codes, refresh
tokens and session cookies. Each carries 256 random bits, so a SHA-256 of it (as for API keys)
is all that is stored; the prefixes let secret scanners and people tell them apart."""

from __future__ import annotations

import secrets

from app.auth.tokens import hash_token

CLIENT_SECRET_PREFIX = "rhcs_"
REFRESH_TOKEN_PREFIX = "rhrt_"
MAX_LENGTH = 128
"""Longer presented values are refused unread."""


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(value: str) -> str:
    return hash_token(value)


def same(value: str, stored_digest: str | None) -> bool:
    """Constant-time comparison of a presented secret with a stored digest."""
    if stored_digest is None or len(value) > MAX_LENGTH:
        secrets.compare_digest(digest(""), digest(value[:MAX_LENGTH]))
        return False
    return secrets.compare_digest(digest(value), stored_digest)
