"""Verifying webhooks Reelhouse sends, with the official ``standardwebhooks`` library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError

from reelhouse.errors import WebhookVerificationFailed


def verify_webhook(payload: bytes | str, headers: Mapping[str, str], secret: str) -> Any:
    """The parsed event, if ``payload`` (the raw request body, before any JSON parsing) was
    signed with ``secret`` (``whsec_…``) within the last five minutes; else raises
    ``WebhookVerificationFailed``. While a secret rotates a request carries two signatures and
    either may match. Use ``headers["webhook-id"]`` to ignore a delivery you already handled."""
    lowered = {key.lower(): value for key, value in headers.items()}
    body = payload.decode() if isinstance(payload, bytes) else payload
    try:
        return Webhook(secret).verify(body, lowered)
    except WebhookVerificationError as error:
        raise WebhookVerificationFailed(str(error)) from error
