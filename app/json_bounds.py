"""The one check of JSON that comes from outside, before it is stored.

Stored JSON is sent back in lists, the event feed, subscriptions and webhooks; a value our
encoder cannot write (nested past its limit, an integer beyond 64 bits, infinity) would break
every one of those for good, and PostgreSQL refuses NUL characters in text and JSONB. So every
JSON input (metadata, settings, template styles, job input, automation actions and triggers,
inbound webhook bodies, telemetry properties, manifest documents and schemas) passes
``json_problem`` (or ``encode_within``, which also hands back the encoding) with its bounds.

Encoding first is the fast path (telemetry checks 500 values per request): the encoding shows
whether a value can hold a problem at all (more containers than the depth bound, an escaped
NUL, a long run of digits, a ``null`` that may have been infinity, more bytes than the value
bound), and only then is the value walked, without recursion, so a hostile depth costs nothing.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

MAX_DEPTH = 32
"""Containers nested inside each other; ``{}`` is 1, ``{"a": []}`` is 2."""
MAX_VALUES = 10_000
MAX_BYTES = 64 * 1024
MAX_INTEGER = 2**53 - 1
"""I-JSON (RFC 7493): integers beyond this lose precision in JavaScript and many decoders, and
beyond 64 bits our own encoder refuses them."""

INVALID = "INVALID"
TOO_LONG = "TOO_LONG"
OUT_OF_RANGE = "OUT_OF_RANGE"

Problem = tuple[str, str]
"""The contract's field error code (``INVALID``, ``TOO_LONG``, ``OUT_OF_RANGE``) and the rest of
a sentence that starts with the field's name."""

_LONG_NUMBER = re.compile(rb"\d{16}")


@dataclass(frozen=True, slots=True)
class JsonBounds:
    max_bytes: int = MAX_BYTES
    """Compact UTF-8 JSON, as ``orjson`` writes it."""
    max_depth: int = MAX_DEPTH
    max_values: int = MAX_VALUES
    """Every scalar, object and array counts one."""


DEFAULT_BOUNDS = JsonBounds()


def json_problem(value: Any, bounds: JsonBounds = DEFAULT_BOUNDS) -> Problem | None:
    """Why ``value`` must not be stored, or None."""
    return encode_within(value, bounds)[1]


def encode_within(
    value: Any, bounds: JsonBounds = DEFAULT_BOUNDS
) -> tuple[bytes, None] | tuple[None, Problem]:
    """``value`` as compact JSON if it may be stored, else why not."""
    try:
        encoded = orjson.dumps(value)
    except TypeError:
        return None, _walk(value, bounds) or (
            INVALID,
            "is not JSON text (e.g. a string with an unpaired surrogate)",
        )
    if (
        encoded.count(b"{") + encoded.count(b"[") > bounds.max_depth
        or len(encoded) > bounds.max_values
        or b"\\u0000" in encoded
        or b"null" in encoded
        or _LONG_NUMBER.search(encoded) is not None
    ):
        problem = _walk(value, bounds)
        if problem is not None:
            return None, problem
    if len(encoded) > bounds.max_bytes:
        return None, (TOO_LONG, f"is larger than {bounds.max_bytes} bytes as JSON")
    return encoded, None


def _walk(value: Any, bounds: JsonBounds) -> Problem | None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > bounds.max_values:
            return TOO_LONG, f"holds more than {bounds.max_values} values"
        if isinstance(node, str):
            if "\x00" in node:
                return INVALID, "holds a NUL character"
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, int):
            if abs(node) > MAX_INTEGER:
                return (
                    OUT_OF_RANGE,
                    "holds an integer beyond ±(2^53 - 1); send such numbers as strings",
                )
        elif isinstance(node, float):
            if not math.isfinite(node):
                return INVALID, "holds a number JSON cannot carry (infinity)"
        elif isinstance(node, Mapping | list | tuple):
            if depth > bounds.max_depth:
                return TOO_LONG, f"is nested deeper than {bounds.max_depth} levels"
            if isinstance(node, Mapping):
                for key in node:
                    if not isinstance(key, str) or "\x00" in key:
                        return INVALID, "has a key that is not valid text"
                stack.extend((item, depth + 1) for item in node.values())
            else:
                stack.extend((item, depth + 1) for item in node)
        else:
            return INVALID, "is not JSON"
    return None


def json_size(value: Any) -> int:
    """Bytes of ``value`` as compact JSON; values that cannot be encoded count as too large."""
    try:
        return len(orjson.dumps(value))
    except TypeError:
        return sys.maxsize
