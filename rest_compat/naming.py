"""The mechanical name mapping between GraphQL (camelCase) and REST (snake_case, plurals).

Only the GraphQL → REST direction is computed; the way back is always a lookup table built
from the schema, so names such as ``sha256`` or ``apiKeys`` never have to round-trip.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    """``renderQuota`` → ``render_quota``, ``APIKey`` → ``api_key``, ``sha256`` → ``sha256``."""
    return _BOUNDARY.sub("_", name).lower()


def pascal(name: str) -> str:
    """``apiKeys`` → ``ApiKeys``: how a field name reads inside a mutation name."""
    return name[:1].upper() + name[1:]


def plural(word: str) -> str:
    """English plural of a snake_case noun, for resources that have no list query to name them."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def singular(word: str) -> str:
    """Inverse of :func:`plural` for the regular cases (``characters`` → ``character``)."""
    if word.endswith("ies") and len(word) > 3:
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
