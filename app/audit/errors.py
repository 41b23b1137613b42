"""The contract error codes an answer carries, read from its body (either transport's shape,
and the OAuth endpoints' ``{"error": "invalid_grant"}``)."""

from __future__ import annotations

from typing import Any

import orjson


def error_codes(body: bytes) -> list[str]:
    """The contract codes in an error body of either transport."""
    try:
        data: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return []
    codes: list[str] = []
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            codes.append(error["code"])
        elif isinstance(error, str) and error.isascii() and len(error) <= 64:
            codes.append(error.upper())  # an OAuth error (RFC 6749): invalid_grant…
        for entry in data.get("errors") or []:
            code = entry.get("extensions", {}).get("code") if isinstance(entry, dict) else None
            if isinstance(code, str):
                codes.append(code)
    return codes
