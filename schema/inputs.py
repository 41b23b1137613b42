"""From GraphQL inputs to the plain mappings resolvers take."""

from __future__ import annotations

import dataclasses
from typing import Any

from strawberry.types.unset import UNSET

from schema.models import ATTRIBUTE_ALIASES


def changes_of(input: Any, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the caller sent (UNSET dropped), keyed by row attribute name."""
    return {
        ATTRIBUTE_ALIASES.get(f.name, f.name): getattr(input, f.name)
        for f in dataclasses.fields(input)
        if f.name not in exclude and getattr(input, f.name) is not UNSET
    }
