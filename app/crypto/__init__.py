"""Recoverable secrets encrypted at rest: one ``SecretBox`` per process, built from settings.

``seal`` turns a secret the server must read back later (a webhook signing secret, a signing
key) into text safe to store or log; ``open`` turns it back. Secrets that only need checking
(API keys, passwords) are hashed instead and never come here.
"""

from __future__ import annotations

from app.crypto.box import SealedFormatError, SecretBox, SecretBoxError, new_key
from app.crypto.keys import key_file_of, secret_box_for

__all__ = [
    "SealedFormatError",
    "SecretBox",
    "SecretBoxError",
    "key_file_of",
    "new_key",
    "secret_box_for",
]
