"""What an audit record (and a log line) may keep of a caller's arguments.

Two rules, both always applied, so a secret needs to slip past both to be stored:

- **names**: a value whose argument or field name says it is a secret (``password``,
  ``secret``, ``token``, ``authorization``, ``code`` of an OAuth redirect…) is replaced whole;
- **shapes**: any string that looks like one of our secrets (API keys ``rh_live_``/``rh_test_``,
  ``whsec_`` signing secrets, OAuth client secrets ``rhcs_`` and refresh tokens ``rhrt_``, JWTs,
  ``Bearer`` credentials, and the bare 256-bit tokens of sessions, authorization codes and
  CSRF forms) has the secret part replaced, wherever it sits (a description, a URL, a key).

Records stay small whatever was sent: long strings are cut and long lists shortened.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[REDACTED]"
MAX_STRING = 512
MAX_ITEMS = 20
MAX_DEPTH = 8

SECRET_NAME_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "apikey",
    "credential",
    "cookie",
    "signature",
    "privatekey",
    "codeverifier",
    "csrf",
)
"""Normalised (lowercase, no ``_``/``-``) fragments: a name containing one is a secret's."""
SECRET_NAMES = frozenset({"code", "session", "assertion"})
"""Names that are secrets only when they are the whole name (``code`` of an OAuth
authorization response; not ``errorCode``)."""

SECRET_SHAPES = re.compile(
    r"rh_(?:live|test)_[0-9A-Za-z]{8,}"
    r"|whsec_[A-Za-z0-9+/=]{8,}"
    r"|rh(?:cs|rt)_[A-Za-z0-9_\-]{8,}"
    r"|eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}(?:\.[A-Za-z0-9_\-]*)?"
    r"|(?i:bearer)\s+\S+"
)
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL and lone surrogates: neither backend's JSON can keep them (a refused call may carry
them), so a record holds U+FFFD instead."""
BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{43}(?![A-Za-z0-9_\-])")
"""``secrets.token_urlsafe(32)``: sessions, authorization codes, CSRF tokens."""


def is_secret_name(name: str) -> bool:
    normalised = name.lower().replace("_", "").replace("-", "")
    return normalised in SECRET_NAMES or any(part in normalised for part in SECRET_NAME_PARTS)


def _looks_random(token: str) -> bool:
    return (
        any(c.isdigit() for c in token)
        and any(c.islower() for c in token)
        and any(c.isupper() for c in token)
    )


def scrub(text: str, limit: int | None = MAX_STRING) -> str:
    """``text`` with every secret-shaped part replaced, and cut to ``limit`` characters."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    text = UNSTORABLE.sub("\ufffd", text)
    if "_" in text or "eyJ" in text or "earer" in text or "EARER" in text:
        text = SECRET_SHAPES.sub(REDACTED, text)
    if len(text) >= 43:
        text = BARE_TOKEN.sub(lambda m: REDACTED if _looks_random(m[0]) else m[0], text)
    return text


def redact(value: Any, depth: int = 0) -> Any:
    """A JSON-able copy of ``value`` that holds no secret by either rule."""
    if isinstance(value, str):
        return scrub(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth >= MAX_DEPTH:
        return "…"
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for index, (key, item) in enumerate(value.items()):
            if index >= MAX_ITEMS * 5:
                out["…"] = f"{len(value) - index} more"
                break
            name = scrub(str(key))
            out[name] = REDACTED if is_secret_name(str(key)) else redact(item, depth + 1)
        return out
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        kept = [redact(item, depth + 1) for item in items[:MAX_ITEMS]]
        if len(items) > MAX_ITEMS:
            kept.append(f"… {len(items) - MAX_ITEMS} more")
        return kept
    return scrub(str(value))


def redact_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Query-string parameters (repeated names become lists), redacted by both rules."""
    grouped: dict[str, Any] = {}
    for name, value in pairs:
        if name in grouped:
            previous = grouped[name]
            grouped[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            grouped[name] = value
    result = redact(grouped)
    return result if isinstance(result, dict) else {}
