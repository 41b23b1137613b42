"""``{{…}}`` placeholders in JSON documents, filled by a lookup: template styles (``{{title}}``)
and automation actions (``{{trigger.assetId}}``) share these rules.

A string that is exactly one placeholder becomes the looked-up value itself (a number stays a
number); placeholders inside longer text are replaced by the value's JSON text (strings as they
are, null as ``""``). Nothing is evaluated: a placeholder is a name the lookup resolves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import orjson

PLACEHOLDER_RE = re.compile(r"\{\{([^{}]*)\}\}")
"""No braces inside: each match attempt stops at the next brace, so scanning text stays linear
whatever it holds (a lazy ``.*?`` made a text of many ``{{`` quadratic)."""

Lookup = Callable[[str], tuple[bool, Any]]
"""Placeholder text (stripped) → (found, value); an unknown one is left as written."""


def strings_in(value: Any) -> Iterator[str]:
    """Every string value in a JSON document (object keys are not values), without recursion."""
    stack: list[Any] = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)


def placeholders_in(value: Any) -> Iterator[str]:
    """The (stripped) text of every placeholder in a JSON document."""
    for text in strings_in(value):
        for match in PLACEHOLDER_RE.finditer(text):
            yield match.group(1).strip()


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def fill_text(text: str, lookup: Lookup) -> Any:
    whole = PLACEHOLDER_RE.fullmatch(text)
    if whole is not None:
        found, value = lookup(whole.group(1).strip())
        if found:
            return value

    def replace(match: re.Match[str]) -> str:
        found, value = lookup(match.group(1).strip())
        return as_text(value) if found else match.group(0)

    return PLACEHOLDER_RE.sub(replace, text)


def fill(document: Any, lookup: Lookup) -> Any:
    """``document`` with every placeholder the lookup knows replaced."""
    if isinstance(document, str):
        return fill_text(document, lookup)
    if isinstance(document, Mapping):
        return {k: fill(v, lookup) for k, v in document.items()}
    if isinstance(document, list | tuple):
        return [fill(v, lookup) for v in document]
    return document
