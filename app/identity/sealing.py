"""The one seam through which signing keys' private halves are stored and read back.

Today the stored form is ``plain:<PEM>``. Encryption at rest (``REELHOUSE_SECRET_KEY``) plugs
in here and only here: ``seal_private_key`` encrypts new keys, ``open_private_key`` reads both
the sealed form and rows written before a secret key was set.
"""

from __future__ import annotations

PLAIN = "plain:"


def seal_private_key(pem: str) -> str:
    return PLAIN + pem


def open_private_key(stored: str) -> str:
    if stored.startswith(PLAIN):
        return stored[len(PLAIN) :]
    raise ValueError("unknown sealed private key format")
