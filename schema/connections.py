"""Relay connections over keyset pages, and the ordering every list accepts."""

from __future__ import annotations

import typing
from collections.abc import Callable
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar

import strawberry
from strawberry.annotation import StrawberryAnnotation
from strawberry.extensions import FieldExtension
from strawberry.types.arguments import StrawberryArgument
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField
from strawberry.types.info import Info

from resolvers.pagination import Backward, Ordering, Page, backward_page

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


def returns_connection(annotation: Any) -> bool:
    """Whether a resolver's return annotation is a ``Connection[...]`` (as written, a string
    under ``from __future__ import annotations``, or the type itself)."""
    if isinstance(annotation, str):
        return annotation.replace(" ", "").startswith("Connection[")
    origin = typing.get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, Connection)


def is_connection_field(field: StrawberryField) -> bool:
    type_: Any = field.type
    if isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    definition = getattr(type_, "__strawberry_definition__", None)
    origin = getattr(definition, "origin", None)
    return isinstance(origin, type) and issubclass(origin, Connection)


BACKWARD_ARGUMENTS = (
    StrawberryArgument(
        python_name="last",
        graphql_name=None,
        type_annotation=StrawberryAnnotation(int | None),
        description="The last n items (of the list, or before `before`); 1-100, default 25.",
        default=None,
    ),
    StrawberryArgument(
        python_name="before",
        graphql_name=None,
        type_annotation=StrawberryAnnotation(str | None),
        description="Items before this cursor (a `startCursor`), pages backwards.",
        default=None,
    ),
)


class PagesBothWays(FieldExtension):
    """Gives a connection field ``last`` and ``before`` next to its ``first`` and ``after``, and
    hands them to ``resolvers.pagination.paginate`` while the resolver runs. ``query_field``
    gives it to every field whose resolver returns a ``Connection``."""

    def apply(self, field: StrawberryField) -> None:
        if not is_connection_field(field):
            raise TypeError(f"{field.python_name}: pages both ways, but returns no Connection")
        field.arguments = [*field.arguments, *BACKWARD_ARGUMENTS]

    async def resolve_async(
        self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        window = Backward(kwargs.pop("last", None), kwargs.pop("before", None))
        token = backward_page.set(window)
        try:
            return await next_(source, info, **kwargs)
        finally:
            backward_page.reset(token)


@strawberry.enum
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


NEWEST_FIRST = Ordering("created_at", descending=True)


class Orderable(Protocol):
    def to_ordering(self) -> Ordering: ...


def order_by_input(type_name: str, **columns: str) -> type:
    """``<Type>OrderBy``: the ordering input of one list, offering only the columns it can sort
    by (``NAME="title"``: the enum value ``NAME`` sorts by the ``title`` column), so every value
    the schema (and the OpenAPI document generated from it) lists is accepted."""
    values = {name: strawberry.enum_value(column) for name, column in columns.items()}
    python_enum: Any = Enum(f"{type_name}OrderField", values)  # type: ignore[misc]
    fields: Any = strawberry.enum(
        python_enum, description=f"Column {type_name} lists are sorted by; ties are broken by id."
    )
    default = next(iter(fields))

    def to_ordering(self: Any) -> Ordering:
        return Ordering(self.field.value, self.direction is OrderDirection.DESC)

    namespace = {
        "__annotations__": {"field": fields, "direction": OrderDirection},
        "field": default,
        "direction": OrderDirection.DESC,
        "to_ordering": to_ordering,
    }
    cls = type(f"{type_name}OrderBy", (), namespace)
    return strawberry.input(cls, description=f"How to sort a list of {type_name} objects.")


def ordering(order_by: Orderable | None, default: Ordering | None = None) -> Ordering:
    """The caller's order, else the list's own default, else newest first."""
    if order_by is not None:
        return order_by.to_ordering()
    return default or NEWEST_FIRST
