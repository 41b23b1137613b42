"""Input problems the caller can fix, collected and reported as ``userErrors`` together."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from app.errors import FieldError
from app.json_bounds import DEFAULT_BOUNDS, JsonBounds, json_problem


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
        self, path: str, value: Any, *, max_keys: int = 200, bounds: JsonBounds = DEFAULT_BOUNDS
    ) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            self.add(path, InputErrorCode.INVALID, f"`{path}` must be a JSON object.")
        elif len(value) > max_keys:
            self.add(path, InputErrorCode.TOO_LONG, f"`{path}` has more than {max_keys} keys.")
        else:
            self.json_value(path, value, bounds=bounds)

    def json_value(
        self, path: Path | str, value: Any, *, bounds: JsonBounds = DEFAULT_BOUNDS
    ) -> bool:
        """Reports (and returns False for) JSON that could not be stored and read back by every
        client (``app.json_bounds``)."""
        problem = json_problem(value, bounds)
        if problem is not None:
            code, text = problem
            name = path if isinstance(path, str) else ".".join(path)
            self.add(path, InputErrorCode(code), f"`{name}` {text}.")
        return problem is None

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)


def not_found(path: Path, what: str) -> InputErrors:
    return InputErrors([FieldError(path, InputErrorCode.NOT_FOUND.value, f"{what} not found.")])


def invalid_state(path: Path, message: str) -> InputErrors:
    """The input is well formed but the object's current state does not allow the change."""
    return InputErrors([FieldError(path, InputErrorCode.INVALID_STATE.value, message)])
