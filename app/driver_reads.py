"""Hot reads sent straight to asyncpg: the loaders' selects by id and by parent on PostgreSQL.

An ORM session costs ~0.35 ms of CPU for a one-row read by id, against ~0.12 ms for the same
statement sent with asyncpg on a connection from the same pool (bench/README.md), and building
rows into instances through the ORM is a quarter of a nested list's cost. A ``DriverRead`` is a
select compiled once for the driver: its SQL, the order and bind processing of its parameters,
and how each record becomes what the ORM would have returned, with every column through its
type's result processing (JSON, enums, UTC datetimes, sealed secrets) as the ORM does it.

The instances are built detached, with their loaded values set directly, as the ORM's loading
does: reads that nobody writes through (a write loads what it changes in its own session).
Statements the plan cannot take (expanding parameters, columns it cannot place) get no plan,
and the caller reads them through a session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapper

from app.types import AnySelect

Processor = Callable[[Any], Any] | None


class _Entity:
    """A mapped class filled from ``slots`` (record index, attribute, processor): the columns
    the driver's values need no processing for are copied in one step."""

    def __init__(
        self,
        cls: type,
        new_instance: Callable[[], Any],
        slots: tuple[tuple[int, str, Processor], ...],
        key_index: int,
    ) -> None:
        self.cls = cls
        self.new_instance = new_instance
        self.key_index = key_index
        plain = [(index, attribute) for index, attribute, process in slots if process is None]
        self._plain_attributes = tuple(attribute for _, attribute in plain)
        self._plain_values = itemgetter(*(index for index, _ in plain), -1)
        self._processed = tuple((i, a, p) for i, a, p in slots if p is not None)
        self.width = len(slots)

    def build(self, record: Sequence[Any]) -> Any:
        instance = self.new_instance()
        values = instance.__dict__
        # The getter takes one more value (the last column) so that it always returns a tuple.
        values.update(zip(self._plain_attributes, self._plain_values(record), strict=False))
        for index, attribute, process in self._processed:
            value = record[index]
            values[attribute] = None if value is None else process(value)
        instance._sa_instance_state.key = (self.cls, (record[self.key_index],), None)
        return instance


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    process: Processor
    width = 1

    def build(self, record: Sequence[Any]) -> Any:
        value = record[self.index]
        return value if self.process is None or value is None else self.process(value)


class DriverRead:
    def __init__(
        self,
        sql: str,
        parameters: tuple[tuple[str, Processor], ...],
        fixed: Mapping[str, Any],
        parts: tuple[_Entity | _Column, ...],
    ) -> None:
        self.sql = sql
        self._parameters = parameters
        self._fixed = fixed
        self._parts = parts
        self.single = len(parts) == 1

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        arguments = []
        for name, process in self._parameters:
            value = params[name] if name in params else self._fixed[name]
            arguments.append(value if process is None else process(value))
        return arguments

    def rows(self, records: Sequence[Sequence[Any]]) -> list[Any]:
        """The statement's results as a session's ``scalars()`` (one entity or column) or
        ``all()`` (several) would give them."""
        if self.single:
            part = self._parts[0]
            return [part.build(record) for record in records]
        return [tuple(part.build(record) for part in self._parts) for record in records]


def plan(statement: AnySelect, dialect: Dialect) -> DriverRead | None:
    """``statement`` compiled for ``dialect``, or None when it is not a shape this takes."""
    try:
        return _plan(statement, dialect)
    except _Unplannable:
        return None


class _Unplannable(Exception):
    """A statement whose SQL, columns or types the plan cannot take as they are."""


def _plan(statement: AnySelect, dialect: Dialect) -> DriverRead:
    compiled = statement.compile(dialect=dialect)
    sql = compiled.string
    if "POSTCOMPILE" in sql or compiled.positiontup is None:
        raise _Unplannable
    binds: Mapping[str, Any] = compiled._bind_processors
    parameters = tuple((name, binds.get(name)) for name in compiled.positiontup)
    fixed = {name: value for name, value in compiled.params.items() if value is not None}
    columns = [result.objects[0] for result in compiled._result_columns]
    parts: list[_Entity | _Column] = []
    position = 0
    for description in statement.column_descriptions:
        expression = description["expr"]
        part: _Entity | _Column
        if isinstance(expression, type):
            part = _entity(inspect(expression), columns, position, dialect)
        else:
            part = _Column(position, _processor(_column_at(columns, position), dialect))
        parts.append(part)
        position += part.width
    if position != len(columns):
        raise _Unplannable
    return DriverRead(sql, parameters, fixed, tuple(parts))


def _column_at(columns: list[Any], index: int) -> Any:
    if index >= len(columns) or getattr(columns[index], "type", None) is None:
        raise _Unplannable
    return columns[index]


def _entity(mapper: Mapper[Any], columns: list[Any], start: int, dialect: Dialect) -> _Entity:
    """The run of ``columns`` from ``start`` that are ``mapper``'s, as one entity: exactly its
    mapped columns, with a one-column primary key."""
    if len(mapper.primary_key) != 1:
        raise _Unplannable
    key = mapper.primary_key[0]
    attributes = {
        (getattr(column.table, "name", None), column.name): prop.key
        for prop in mapper.column_attrs
        for column in prop.columns
    }
    slots: list[tuple[int, str, Processor]] = []
    key_index = -1
    for index in range(start, start + len(attributes)):
        column = _column_at(columns, index)
        attribute = attributes.get((getattr(column.table, "name", None), column.name))
        if attribute is None:
            raise _Unplannable
        if column.name == key.name:
            key_index = index
        slots.append((index, attribute, _processor(column, dialect)))
    if key_index < 0:
        raise _Unplannable
    return _Entity(mapper.class_, mapper.class_manager.new_instance, tuple(slots), key_index)


def _processor(column: Any, dialect: Dialect) -> Processor:
    """The column type's result processing; a type whose processing needs the driver's column
    type (asyncpg's numerics), which the plan does not know, cannot be planned."""
    try:
        processor: Processor = column.type._cached_result_processor(dialect, None)
    except (TypeError, KeyError):
        raise _Unplannable from None
    return processor
