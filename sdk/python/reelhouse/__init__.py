"""The Reelhouse partner API from Python: ``Reelhouse`` (sync) and ``AsyncReelhouse``, typed
models (``reelhouse.models``), typed errors (``reelhouse.NotFoundError``, …) and
``verify_webhook``. See sdk/python/README.md."""

from __future__ import annotations

from reelhouse import _errors as codes
from reelhouse._clients import AsyncReelhouse, Reelhouse
from reelhouse._errors import *  # noqa: F403 (one class per error code)
from reelhouse._generated import models
from reelhouse.errors import (
    FieldProblem,
    ReelhouseConnectionError,
    ReelhouseError,
    WebhookVerificationFailed,
)
from reelhouse.webhooks import verify_webhook

__all__ = [
    "AsyncReelhouse",
    "FieldProblem",
    "Reelhouse",
    "ReelhouseConnectionError",
    "ReelhouseError",
    "WebhookVerificationFailed",
    "codes",
    "models",
    "verify_webhook",
    *codes.__all__,
]
