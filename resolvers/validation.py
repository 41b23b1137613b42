"""Input problems the caller can fix, collected and reported as ``userErrors`` together."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

import orjson

from app.errors import FieldError


class InputErrorCode(StrEnum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_SHORT = "TOO_SHORT"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    TAKEN = "TAKEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID_STATE = "INVALID_STATE"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"
    UNKNOWN_VARIABLE = "UNKNOWN_VARIABLE"


class InputErrors(Exception):
    """Raised by a resolver; the mutation wrapper turns it into the payload's ``userErrors``."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{'.'.join(e.field)}: {e.message}" for e in errors))
        self.errors = list(errors)


Path = tuple[str, ...]

MAX_JSON_DEPTH = 32
MAX_JSON_VALUES = 10_000
MAX_JSON_BYTES = 64 * 1024
MAX_JSON_INTEGER = 2**53 - 1
"""I-JSON (RFC 7493): integers beyond this lose precision in JavaScript and many decoders, and
beyond 64 bits our own encoder refuses them."""


class Checker:
    """Collects every problem in an input before anything touches the store."""

    def __init__(self, root: Path = ("input",)) -> None:
        self.root = root
        self.errors: list[FieldError] = []

    def add(self, path: Path | str, code: InputErrorCode, message: str) -> None:
        suffix = (path,) if isinstance(path, str) else path
        self.errors.append(FieldError((*self.root, *suffix), code.value, message))

    def text(
        self,
        path: str,
        value: str | None,
        *,
        max_length: int,
        min_length: int = 0,
        required: bool = False,
        pattern: re.Pattern[str] | None = None,
        hint: str = "",
    ) -> None:
        if value is None:
            if required:
                self.add(path, InputErrorCode.REQUIRED, f"`{path}` is required.")
            return
        if required and not value.strip():
            self.add(path, InputErrorCode.REQUIRED, f"`{path}` must not be blank.")
        elif len(value) > max_length:
            self.add(
                path, InputErrorCode.TOO_LONG, f"`{path}` is longer than {max_length} characters."
            )
        elif len(value) < min_length:
            self.add(
                path, InputErrorCode.TOO_SHORT, f"`{path}` is shorter than {min_length} characters."
            )
        elif pattern is not None and not pattern.fullmatch(value):
            self.add(path, InputErrorCode.INVALID, f"`{path}` {hint or 'has an invalid format'}.")

    def int_range(self, path: str, value: int | None, *, low: int, high: int) -> None:
        if value is not None and not low <= value <= high:
            self.add(
                path, InputErrorCode.OUT_OF_RANGE, f"`{path}` must be between {low} and {high}."
            )

    def json_object(
        self, path: str, value: Any, *, max_keys: int = 200, max_bytes: int = MAX_JSON_BYTES
    ) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            self.add(path, InputErrorCode.INVALID, f"`{path}` must be a JSON object.")
        elif len(value) > max_keys:
            self.add(path, InputErrorCode.TOO_LONG, f"`{path}` has more than {max_keys} keys.")
        else:
            self.json_value(path, value, max_bytes=max_bytes)

    def json_value(self, path: str, value: Any, *, max_bytes: int = MAX_JSON_BYTES) -> bool:
        """Reports (and returns False for) JSON that could not be stored and read back by every
        client: see ``json_problem``."""
        problem = json_problem(value, max_bytes=max_bytes)
        if problem is not None:
            code, text = problem
            self.add(path, code, f"`{path}` {text}.")
        return problem is None

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)


def json_problem(
    value: Any, *, max_depth: int = MAX_JSON_DEPTH, max_bytes: int = MAX_JSON_BYTES
) -> tuple[InputErrorCode, str] | None:
    """Why ``value`` (free-form JSON from a client) must not be stored, or None.

    Stored JSON is sent back in lists, the event feed, subscriptions and webhooks; a value our
    encoder cannot write (nested past its limit, an integer beyond 64 bits, infinity) would
    break every one of those for good, and PostgreSQL refuses NUL characters. Walked without
    recursion, so a hostile depth costs nothing.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_JSON_VALUES:
            return InputErrorCode.TOO_LONG, f"holds more than {MAX_JSON_VALUES} values"
        if isinstance(node, str):
            if "\x00" in node:
                return InputErrorCode.INVALID, "holds a NUL character"
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, int):
            if abs(node) > MAX_JSON_INTEGER:
                return (
                    InputErrorCode.OUT_OF_RANGE,
                    "holds an integer beyond ±(2^53 - 1); send such numbers as strings",
                )
        elif isinstance(node, float):
            if not math.isfinite(node):
                return InputErrorCode.INVALID, "holds a number JSON cannot carry (infinity)"
        elif isinstance(node, Mapping | list | tuple):
            if depth >= max_depth:
                return InputErrorCode.INVALID, f"is nested deeper than {max_depth} levels"
            if isinstance(node, Mapping):
                for key in node:
                    if not isinstance(key, str) or "\x00" in key:
                        return InputErrorCode.INVALID, "has a key that is not valid text"
                stack.extend((item, depth + 1) for item in node.values())
            else:
                stack.extend((item, depth + 1) for item in node)
        else:
            return InputErrorCode.INVALID, "is not JSON"
    if json_size(value) > max_bytes:
        return InputErrorCode.TOO_LONG, f"is larger than {max_bytes} bytes as JSON"
    return None


def json_size(value: Any) -> int:
    """Bytes of ``value`` as compact JSON; values that cannot be encoded count as too large."""
    try:
        return len(orjson.dumps(value))
    except TypeError:
        return sys.maxsize


def not_found(path: Path, what: str) -> InputErrors:
    return InputErrors([FieldError(path, InputErrorCode.NOT_FOUND.value, f"{what} not found.")])


def invalid_state(path: Path, message: str) -> InputErrors:
    """The input is well formed but the object's current state does not allow the change."""
    return InputErrors([FieldError(path, InputErrorCode.INVALID_STATE.value, message)])
