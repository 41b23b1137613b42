"""Passwords: argon2id hashes, computed off the event loop.

A hash takes tens of milliseconds of CPU and 64 MiB of memory by design, so it runs in a
worker thread, a few at a time (a burst of sign-ins must not exhaust memory). Checking a
password for an unknown account still verifies against a fixed hash, so the failure path
costs the same whether or not the account exists.
"""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 256
"""Longer inputs are refused before hashing: the cost must not be the caller's to choose."""

_HASHER = PasswordHasher()
"""argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile)."""

_SLOTS = asyncio.Semaphore(4)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash("reelhouse: a password no account has")


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be set (a sentence), or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if not password.strip():
        return "A password cannot be only spaces."
    return None


async def hash_password(password: str) -> str:
    async with _SLOTS:
        return await asyncio.to_thread(_HASHER.hash, password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; ``stored=None`` (no such account) costs the
    same and fails. Over-long input fails without hashing."""
    if len(password) > MAX_LENGTH:
        return False
    async with _SLOTS:
        return await asyncio.to_thread(_verify, stored, password)


def needs_rehash(stored: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return False
