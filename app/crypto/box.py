"""AES-256-GCM with a key id in every sealed value, so keys can rotate.

A sealed value reads ``v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>``. The key id is derived
from the key itself (the first 8 hex digits of its SHA-256), so keys need no names, and a value
says which of the configured keys opens it. The version and key id are authenticated as
associated data: a value cannot be moved under another key's id or format unnoticed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12


class SecretBoxError(Exception):
    """A sealed value cannot be opened: unknown key id, altered, or not sealed at all."""


class SealedFormatError(SecretBoxError):
    """The text is not a sealed value of a known version."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key() -> str:
    """A fresh random key in the form ``REELHOUSE_SECRET_KEY`` takes."""
    return _b64encode(os.urandom(KEY_BYTES))


def parse_key(text: str) -> bytes:
    """A key from its text form (base64url of 32 bytes, padding optional)."""
    try:
        raw = _b64decode(text.strip())
    except (binascii.Error, ValueError):
        raise ValueError("a secret key is the base64url encoding of 32 random bytes") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(
            f"a secret key is the base64url encoding of {KEY_BYTES} random bytes, not {len(raw)}"
        )
    return raw


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


class SecretBox:
    """Seals with the first key; opens with any of them (the others are being rotated out)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("a SecretBox needs at least one key")
        self._ciphers: dict[str, AESGCM] = {}
        for key in keys:
            if len(key) != KEY_BYTES:
                raise ValueError(f"keys are {KEY_BYTES} bytes")
            self._ciphers.setdefault(key_id(key), AESGCM(key))
        self.current_key_id = key_id(keys[0])

    @classmethod
    def from_text(cls, text: str) -> SecretBox:
        """From ``REELHOUSE_SECRET_KEY``'s form: keys separated by commas, the newest first."""
        return cls([parse_key(part) for part in text.split(",") if part.strip()])

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ciphers)

    def seal(self, plaintext: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        kid = self.current_key_id
        cipher = self._ciphers[kid]
        sealed = cipher.encrypt(nonce, plaintext.encode("utf-8"), _associated(kid))
        return f"{VERSION}.{kid}.{_b64encode(nonce + sealed)}"

    def open(self, sealed: str) -> str:
        kid, body = _split(sealed)
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise SecretBoxError(
                f"sealed with key {kid}, which is not configured (REELHOUSE_SECRET_KEY)"
            )
        try:
            raw = _b64decode(body)
            plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(kid))
        except (InvalidTag, binascii.Error, ValueError):
            raise SecretBoxError(f"a value sealed with key {kid} was altered") from None
        return plain.decode("utf-8")

    def is_current(self, sealed: str) -> bool:
        """True if ``sealed`` is already sealed with the current key (nothing to re-seal)."""
        try:
            return _split(sealed)[0] == self.current_key_id
        except SealedFormatError:
            return False


def _associated(kid: str) -> bytes:
    return f"{VERSION}.{kid}".encode("ascii")


def _split(sealed: str) -> tuple[str, str]:
    version, _, rest = sealed.partition(".")
    kid, _, body = rest.partition(".")
    if version != VERSION or len(kid) != 8 or not body:
        raise SealedFormatError("not a sealed value")
    return kid, body
