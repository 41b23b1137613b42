"""What to do after an attempt: succeed, retry later (when), dead-letter, or disable the endpoint.

Pure functions of the outcome, so the rules read in one place and are tested without a network.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

from app.clock import utcnow

MAX_RETRY_AFTER_SECONDS = 86400.0


class Verdict(StrEnum):
    SUCCEEDED = "succeeded"
    RETRY = "retry"
    DEAD = "dead"
    GONE = "gone"
    """410: the receiver says the endpoint no longer exists; it is disabled."""
    UNAUTHORISED = "unauthorised"
    """The credential that saved the endpoint is revoked or expired, or lost ``events:read``:
    the endpoint is disabled until a credential that can read its events saves it again."""


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    excerpt: str | None = None
    error: str | None = None
    retry_after: float | None = None
    """Seconds, from a ``Retry-After`` header on 429/503."""
    request_headers: list[list[str]] | None = None
    """``[name, value]`` pairs as sent (signatures included, never the secret)."""
    request_body: str | None = None
    """The first ``REQUEST_EXCERPT_BYTES`` of the body sent."""
    response_headers: list[list[str]] | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    next_attempt_at: datetime | None = None


def classify(outcome: Outcome) -> Verdict:
    code = outcome.status_code
    if code is None:
        return Verdict.RETRY
    if 200 <= code < 300:
        return Verdict.SUCCEEDED
    if code == 410:
        return Verdict.GONE
    if 400 <= code < 500 and code not in (408, 429):
        return Verdict.DEAD
    return Verdict.RETRY


def retry_delay(schedule: Sequence[float], retry_index: int, jitter: float) -> float | None:
    """Seconds before retry number ``retry_index`` (0-based), or None when none is left."""
    if retry_index >= len(schedule):
        return None
    base = float(schedule[retry_index])
    if jitter <= 0 or base <= 0:
        return base
    return base * random.uniform(1 - jitter, 1 + jitter)


def decide(
    outcome: Outcome,
    *,
    attempt_in_round: int,
    schedule: Sequence[float],
    jitter: float,
    retries: bool = True,
    now: datetime | None = None,
) -> Decision:
    """``attempt_in_round`` counts from 1 within the current round (a redelivery starts one)."""
    verdict = classify(outcome)
    if verdict is not Verdict.RETRY:
        return Decision(verdict)
    delay = retry_delay(schedule, attempt_in_round - 1, jitter) if retries else None
    if delay is None:
        return Decision(Verdict.DEAD)
    if outcome.retry_after is not None:
        delay = max(delay, min(outcome.retry_after, MAX_RETRY_AFTER_SECONDS))
    return Decision(Verdict.RETRY, (now or utcnow()) + timedelta(seconds=delay))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or an HTTP date); None if absent or malformed."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or utcnow())).total_seconds())
