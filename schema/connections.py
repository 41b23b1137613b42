"""Relay connections over keyset pages, and the ordering every list accepts."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.pagination import Ordering, Page

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    nodes: list[T]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: Page[Any], convert: Callable[[Any], T]) -> Connection[T]:
        nodes = [convert(item) for item in page.items]
        return cls(
            edges=[Edge(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)],
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
        )


@strawberry.enum
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.enum(description="Column a list is sorted by; ties are broken by id.")
class OrderField(Enum):
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    POSITION = strawberry.enum_value("position", description="Lists of ordered items only.")
    NAME = strawberry.enum_value("name", description="Name (or title) where the items have one.")


@strawberry.input
class OrderBy:
    field: OrderField = OrderField.CREATED_AT
    direction: OrderDirection = OrderDirection.DESC

    def to_ordering(self) -> Ordering:
        return Ordering(self.field.value, self.direction is OrderDirection.DESC)


def ordering(order_by: OrderBy | None, default: Ordering | None = None) -> Ordering:
    """The caller's order, else the list's own default, else ``OrderBy``'s."""
    if order_by is None and default is not None:
        return default
    return (order_by or OrderBy()).to_ordering()
