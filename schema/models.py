"""Building GraphQL objects from stored rows without a hand-written copy per type."""

from __future__ import annotations

import dataclasses
from typing import Any, Self, TypeVar

import strawberry

T = TypeVar("T")

ATTRIBUTE_ALIASES = {"metadata": "meta"}


@strawberry.interface(description="An object with a globally unique, prefixed id (`prj_…`).")
class Node:
    id: strawberry.ID


class FromRow:
    """Mixin for strawberry types whose plain fields mirror a row's attributes of the same name.

    Fields with resolvers (relations) are skipped; the row is kept (as ``row``) for them.
    """

    row: Any
    """The stored row (not a GraphQL field: this mixin is not a dataclass)."""

    @classmethod
    def from_row(cls, row: Any) -> Self:
        names = _plain_fields(cls)
        obj = cls(**{n: getattr(row, ATTRIBUTE_ALIASES.get(n, n)) for n in names})
        obj.row = row
        return obj

    @classmethod
    def maybe(cls, row: Any | None) -> Self | None:
        return None if row is None else cls.from_row(row)


_FIELD_CACHE: dict[type, tuple[str, ...]] = {}


def _plain_fields(cls: type) -> tuple[str, ...]:
    names = _FIELD_CACHE.get(cls)
    if names is None:
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        names = tuple(
            f.python_name
            for f in definition.fields
            if f.base_resolver is None and f.python_name != "row"
        )
        init_names = {f.name for f in dataclasses.fields(cls) if f.init}
        names = tuple(n for n in names if n in init_names)
        _FIELD_CACHE[cls] = names
    return names
