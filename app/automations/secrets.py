"""The one seam through which automation secrets are stored and read back.

Inbound webhook secrets and outbound signing secrets go through ``seal`` before they are
written and ``unseal`` after they are read. Today both are the identity; encryption at rest
(``app/crypto``'s ``SecretBox.seal``/``open``) plugs in here and nowhere else.
"""

from __future__ import annotations


def seal(secret: str) -> str:
    return secret


def unseal(stored: str) -> str:
    return stored
