"""API key secrets: ``rh_<env>_<base62 body><6-char base62 CRC32 checksum>``.

The checksum lets a secret scanner (and our middleware, before any database lookup) tell a real
key from a typo offline. Only a SHA-256 of the whole token is stored: the body carries 190 bits
of randomness, so a slow password hash would add latency without adding safety.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import zlib
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
BODY_LENGTH = 32
CHECKSUM_LENGTH = 6
ENVIRONMENTS = ("live", "test")
_TOKEN_RE = re.compile(
    rf"^rh_(live|test)_([0-9A-Za-z]{{{BODY_LENGTH}}})([0-9A-Za-z]{{{CHECKSUM_LENGTH}}})$"
)


def _base62(number: int, width: int) -> str:
    digits = []
    while number:
        number, rem = divmod(number, 62)
        digits.append(ALPHABET[rem])
    return "".join(reversed(digits)).rjust(width, "0")


def checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), CHECKSUM_LENGTH)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    environment: str

    @property
    def prefix(self) -> str:
        return f"rh_{self.environment}_"

    @property
    def last4(self) -> str:
        return self.token[-4:]

    @property
    def hash(self) -> str:
        return hash_token(self.token)


def generate(environment: str = "live") -> IssuedToken:
    if environment not in ENVIRONMENTS:
        raise ValueError(f"environment must be one of {ENVIRONMENTS}")
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return IssuedToken(f"rh_{environment}_{body}{checksum(body)}", environment)


def is_well_formed(token: str) -> bool:
    """Format and checksum only: no I/O, so a garbage token costs nothing to refuse."""
    match = _TOKEN_RE.match(token)
    return match is not None and secrets.compare_digest(checksum(match.group(2)), match.group(3))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
