"""Bounds on caller-supplied JSON (telemetry properties, manifest documents and schemas):
depth, encoded size, and strings the stores can hold (PostgreSQL refuses NUL in text and JSONB).

Local to the ingest domains for now; the shared JSON-input validator is meant to absorb it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from resolvers.validation import InputErrorCode


@dataclass(frozen=True, slots=True)
class JsonBounds:
    max_bytes: int
    """Compact UTF-8 JSON, as ``orjson`` writes it."""
    max_depth: int
    """Containers nested inside each other; ``{}`` is 1, ``{"a": []}`` is 2."""


Problem = tuple[InputErrorCode, str]


def json_problem(value: Any, bounds: JsonBounds) -> Problem | None:
    """Why ``value`` cannot be stored, or None."""
    return encode_within(value, bounds)[1]


def encode_within(value: Any, bounds: JsonBounds) -> tuple[bytes, None] | tuple[None, Problem]:
    """``value`` as compact JSON if it is within ``bounds``, else why not.

    Encoding first is the fast path (telemetry checks 500 values per request): a value with
    fewer containers than the depth bound cannot be too deep, and one whose encoding has no
    ``\\u0000`` holds no NUL; only otherwise is it walked."""
    try:
        encoded = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return None, _walk(value, bounds) or (
            InputErrorCode.INVALID,
            "is not valid JSON text (e.g. an unpaired surrogate)",
        )
    if len(encoded) > bounds.max_bytes:
        return None, (InputErrorCode.TOO_LONG, f"is larger than {bounds.max_bytes} bytes as JSON")
    containers = encoded.count(b"{") + encoded.count(b"[")
    if containers > bounds.max_depth or b"\\u0000" in encoded:
        problem = _walk(value, bounds)
        if problem is not None:
            return None, problem
    return encoded, None


def _walk(value: Any, bounds: JsonBounds) -> Problem | None:
    """Depth and NUL characters, without recursion: a hostile depth is refused rather than
    blowing the stack."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            if depth > bounds.max_depth:
                return _too_deep(bounds)
            for key, item in node.items():
                if isinstance(key, str) and "\x00" in key:
                    return InputErrorCode.INVALID, "has a key containing a NUL character"
                if isinstance(item, dict | list | str):
                    stack.append((item, depth + 1))
        elif isinstance(node, list):
            if depth > bounds.max_depth:
                return _too_deep(bounds)
            stack.extend((item, depth + 1) for item in node if isinstance(item, dict | list | str))
        elif isinstance(node, str) and "\x00" in node:
            return InputErrorCode.INVALID, "has a string containing a NUL character"
    return None


def _too_deep(bounds: JsonBounds) -> Problem:
    return InputErrorCode.TOO_LONG, f"is nested deeper than {bounds.max_depth} levels"
