"""Standard Webhooks signatures (https://www.standardwebhooks.com).

``webhook-signature`` holds ``v1,<base64 HMAC-SHA256>`` of ``"{id}.{timestamp}.{body}"`` for
every secret currently valid, space-separated, so receivers keep verifying while a secret
rotates. Secrets are ``whsec_`` followed by base64 of 32 random bytes.

Rotation is one mechanism for every secret that signs (webhook endpoints' outbound secrets,
automations' inbound ones): a new secret, and the previous one kept valid until a grace
period ends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True, slots=True)
class Rotated:
    secret: str
    previous: str | None
    previous_expires_at: datetime | None


def rotate(current: str | None, grace_seconds: int, now: datetime) -> Rotated:
    """A new secret; ``current`` stays valid for ``grace_seconds`` (none: it ends now). A
    current secret that cannot be read (None: see ``SealedText``) simply ends."""
    if grace_seconds > 0 and current:
        return Rotated(new_secret(), current, now + timedelta(seconds=grace_seconds))
    return Rotated(new_secret(), None, None)


def valid_secrets(
    current: str | None,
    previous: str | None,
    previous_expires_at: datetime | None,
    now: datetime,
) -> list[str]:
    """The current secret, plus the previous one while its grace period lasts; either may be
    missing when its sealed value cannot be opened (see ``SealedText``)."""
    found = [current] if current else []
    if previous and previous_expires_at is not None and previous_expires_at > now:
        found.append(previous)
    return found


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(
    secrets_in_use: Iterable[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sign(s, message_id, timestamp, body) for s in secrets_in_use),
    }
