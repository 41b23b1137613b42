"""What an ``Idempotency-Key`` request is: the key (checked), and the fingerprint of what it
asks for, so a repeat asking for anything else is told apart."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from app.errors import ApiError, ErrorCode
from app.http.headers import header
from app.types import Scope

HEADER = b"idempotency-key"
REPLAYED_HEADER = b"idempotent-replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_KEY = re.compile(r"[\x20-\x7e]{1,255}")


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """A write request that carries an ``Idempotency-Key`` (not yet checked: a malformed key
    is refused only once the operation is known to be a write, before it runs)."""

    key: str
    method: str
    path: str

    def checked_key(self) -> str:
        if not _KEY.fullmatch(self.key) or not self.key.strip():
            raise ApiError(
                ErrorCode.BAD_REQUEST,
                "`Idempotency-Key` must be 1 to 255 printable ASCII characters.",
            )
        return self.key

    def fingerprint(
        self, document: str, operation_name: str | None, variables: Mapping[str, Any] | None
    ) -> str:
        """Method, path and the operation run with its variables: for ``/v1`` the document is
        the route's and the variables come from the path and body, so this is method + path +
        body in the terms the body means (key order and spacing do not matter)."""
        material = orjson.dumps(
            [self.method, self.path, document, operation_name, variables or {}],
            option=orjson.OPT_SORT_KEYS,
            default=str,
        )
        return hashlib.sha256(material).hexdigest()


def idempotent_request(scope: Scope) -> IdempotentRequest | None:
    """The request's key, if it is an HTTP write that sent one; reads ignore the header."""
    if scope.get("type") != "http" or scope.get("method") not in WRITE_METHODS:
        return None
    value = header(scope, HEADER)
    if value is None:
        return None
    return IdempotentRequest(value, scope["method"], scope.get("path", ""))
