"""Schema-driven isolation checks: seed every tenant table, then call every root field.

Nothing here names a domain: rows are generated from the SQLModel tables, calls from the
GraphQL schema (``build_schema()``), so fields and tables other engineers add are covered as
soon as they are merged.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import orjson
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from sqlalchemy import Table, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.sql import sqltypes
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from app.auth.scopes import Scope
from app.clock import isoformat, utcnow
from app.database import Database
from app.ids import IdPrefix, new_id
from schema.fields import ABOUT_CALLER_METADATA, SCOPE_METADATA
from schema.node import NODE_KINDS

NOT_SEEDED_GENERICALLY = {"organizations", "api_keys"}
"""Organisations come from ``make_tenant``; keys are issued for real, to call with."""

# --- seeding ---------------------------------------------------------------------------------


def _prefix_by_table() -> dict[str, IdPrefix]:
    return {kind.model.__tablename__: prefix for prefix, kind in NODE_KINDS.items()}


def tenant_tables() -> list[Table]:
    """Tables holding organisation data, parents before children."""
    return [t for t in SQLModel.metadata.sorted_tables if "org_id" in t.c]


@dataclass
class Seeded:
    """One organisation's generated rows: ``rows[table][project_id]`` → row ids."""

    org_id: str
    projects: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    strings: set[str] = field(default_factory=set)
    failures: list[str] = field(default_factory=list)

    def ids_in(self, project_id: str) -> dict[str, list[str]]:
        return {table: by_project.get(project_id, []) for table, by_project in self.rows.items()}


def _value(column: Any, marker: str) -> Any:
    """A valid value of the column's SQL type: strings carry ``marker`` so leaks are found."""
    type_ = column.type
    enum = getattr(type_, "enum", None)
    if enum is not None:
        return next(iter(enum))
    if isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, sqltypes.Enum) and type_.enums:
        return type_.enums[0]
    if isinstance(type_, sqltypes.String):
        return f"{marker}{secrets.token_hex(6)}"[: type_.length or 40]
    if isinstance(type_, sqltypes.Boolean):
        return False
    if isinstance(type_, sqltypes.Integer):
        return 1
    if isinstance(type_, sqltypes.Numeric | sqltypes.Float):
        return 1
    if isinstance(type_, sqltypes.DateTime):
        return utcnow()
    if isinstance(type_, sqltypes.JSON):
        return {}
    if isinstance(type_, sqltypes.LargeBinary):
        return b""
    return f"{marker}{secrets.token_hex(6)}"


def _row_values(
    table: Table, org_id: str, project_id: str, seeded: Seeded, marker: str
) -> dict[str, Any] | str:
    """Values for one row of ``table`` in ``project_id``, or why it cannot be made."""
    prefix = _prefix_by_table().get(table.name)
    values: dict[str, Any] = {}
    for column in table.c:
        if column.name == "org_id":
            values["org_id"] = org_id
        elif column.name == "id" and column.primary_key and column.type.python_type is int:
            continue
        elif column.name == "id" and column.primary_key:
            if table.name == "projects":
                values["id"] = project_id
            else:
                values["id"] = (
                    new_id(prefix) if prefix else f"{table.name[:3]}_{secrets.token_hex(8)}"
                )
        elif column.name == "project_id":
            values["project_id"] = project_id
        elif column.foreign_keys:
            target = next(iter(column.foreign_keys)).column.table.name
            candidates = seeded.rows.get(target, {}).get(project_id, [])
            if candidates:
                values[column.name] = candidates[0]
            elif not column.nullable:
                return f"{table.name}.{column.name}: no {target} row to point at"
        elif column.name == "version":
            values["version"] = 1
        elif not column.nullable and column.default is None and column.server_default is None:
            values[column.name] = _value(column, marker)
    return values


async def seed_organisation(db: Database, org_id: str, marker: str, projects: int = 2) -> Seeded:
    """Insert rows into every tenant table: ``projects`` projects, and one row of every other
    table in each of them, foreign keys pointing at rows of the same project."""
    seeded = Seeded(org_id)
    # Projects first: every other row is made once per project, even in tables (users,
    # OAuth clients) that sort before ``projects``.
    for table in sorted(tenant_tables(), key=lambda t: t.name != "projects"):
        if table.name in NOT_SEEDED_GENERICALLY:
            continue
        if table.name == "projects":
            owners = [new_id(IdPrefix.PROJECT) for _ in range(projects)]
        else:
            owners = list(seeded.projects)
        for project_id in owners:
            values = _row_values(table, org_id, project_id, seeded, marker)
            if isinstance(values, str):
                seeded.failures.append(values)
                continue
            try:
                async with db.writing() as session:
                    await session.execute(insert(table).values(**values))
            except (IntegrityError, DBAPIError) as error:
                seeded.failures.append(f"{table.name}: {type(error).__name__}: {error}")
                continue
            if table.name == "projects":
                seeded.projects.append(project_id)
            if "id" in values:
                seeded.rows.setdefault(table.name, {}).setdefault(project_id, []).append(
                    values["id"]
                )
            seeded.strings |= {
                v for v in values.values() if isinstance(v, str) and v.startswith(marker)
            }
    return seeded


RowFilter = Callable[[str, Mapping[str, Any]], bool]


async def snapshot(db: Database, org_id: str, keep: RowFilter | None = None) -> dict[str, Any]:
    """Every tenant row of ``org_id`` that ``keep`` accepts, minus ``last_used_at`` (using a
    key is not a change)."""
    out: dict[str, Any] = {}
    async with db.reading() as session:
        for table in tenant_tables():
            rows = (await session.execute(select(table).where(table.c.org_id == org_id))).all()
            out[table.name] = sorted(
                tuple((k, str(v)) for k, v in row._mapping.items() if k != "last_used_at")
                for row in rows
                if keep is None or keep(table.name, dict(row._mapping))
            )
    return out


# --- calls -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RootField:
    operation: str
    name: str
    field: GraphQLField
    scope: Scope | None

    @property
    def label(self) -> str:
        return f"{self.operation} {self.name}"


def root_fields(schema: GraphQLSchema) -> list[RootField]:
    """Every query and mutation with the scope it was declared with; a field declared without
    ``query_field``/``mutation_field`` has no scope metadata and fails the check. Fields about
    the caller alone (``viewer``) hold nothing of anyone else and are left out."""
    found = []
    for operation, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        if root is None:
            continue
        for name, graphql_field in root.fields.items():
            definition = (graphql_field.extensions or {}).get("strawberry-definition")
            metadata = getattr(definition, "metadata", None) or {}
            assert SCOPE_METADATA in metadata, f"{operation} {name} is not declared with a scope"
            if metadata.get(ABOUT_CALLER_METADATA):
                continue
            found.append(RootField(operation, name, graphql_field, metadata[SCOPE_METADATA]))
    return found


def _unwrap(type_: Any) -> Any:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def _camel_words(name: str) -> list[str]:
    return re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)


@dataclass
class IdPool:
    """Ids to put into arguments: ``by_type[graphql type name]`` → an id of that type."""

    by_type: dict[str, str]
    fallback: str

    def for_name(self, name: str, context: str | None) -> str:
        if name == "id" and context in self.by_type:
            return self.by_type[context]
        base = re.sub(r"Ids?$", "", name)
        words = _camel_words(base[:1].upper() + base[1:])
        for start in range(len(words)):
            candidate = "".join(w[:1].upper() + w[1:] for w in words[start:])
            if candidate in self.by_type:
                return self.by_type[candidate]
        return self.fallback


def node_type_names() -> dict[IdPrefix, str]:
    return {
        prefix: kind.graphql_type.__strawberry_definition__.name
        for prefix, kind in NODE_KINDS.items()
    }


def _context_type(type_: Any, node_types: set[str]) -> str | None:
    """The node type an ``id`` argument most likely names: the returned node, a connection's
    node, or the node a mutation payload carries."""
    named = _unwrap(type_)
    if named.name in node_types:
        return str(named.name)
    if isinstance(named, GraphQLObjectType):
        for name in ("nodes", *named.fields):
            inner = named.fields.get(name)
            if inner is not None and _unwrap(inner.type).name in node_types:
                return str(_unwrap(inner.type).name)
    return None


@dataclass
class Arguments:
    values: dict[str, Any]
    ids: int = 0
    others: int = 0


def _generate(type_: Any, name: str, context: str | None, pool: IdPool, out: Arguments) -> Any:
    if isinstance(type_, GraphQLNonNull):
        return _generate(type_.of_type, name, context, pool, out)
    if isinstance(type_, GraphQLList):
        return [_generate(type_.of_type, name, context, pool, out)]
    if isinstance(type_, GraphQLInputObjectType):
        return {
            field_name: _generate(input_field.type, field_name, context, pool, out)
            for field_name, input_field in type_.fields.items()
            if isinstance(input_field.type, GraphQLNonNull)
            and input_field.default_value is Undefined
        }
    if isinstance(type_, GraphQLEnumType):
        out.others += 1
        return next(iter(type_.values))
    assert isinstance(type_, GraphQLScalarType)
    if type_.name == "ID":
        out.ids += 1
        return pool.for_name(name, context)
    out.others += 1
    return {
        "String": "matrix-value",
        "Int": 1,
        "Float": 1.0,
        "Boolean": False,
        "DateTime": isoformat(utcnow() + timedelta(days=1)),
        "JSON": {},
    }.get(type_.name, "matrix-value")


def arguments(root: RootField, pool: IdPool, node_types: set[str]) -> Arguments:
    """Minimal valid arguments: required ones only, ids taken from ``pool``."""
    context = _context_type(root.field.type, node_types)
    out = Arguments({})
    for name, argument in root.field.args.items():
        if isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined:
            out.values[name] = _generate(argument.type, name, context, pool, out)
    return out


def _selection(type_: Any, depth: int, schema: GraphQLSchema, alias: str = "") -> str:
    """Every field without required arguments, ``depth`` levels down; fields inside a type
    condition get aliases, since two types may share a field name with different types."""
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        parts = ["__typename"]
        for possible in schema.get_possible_types(named):
            inner = _selection(possible, depth, schema, alias=f"{possible.name}_")
            parts.append(f"... on {possible.name} {inner}")
        return "{ " + " ".join(parts) + " }"
    assert isinstance(named, GraphQLObjectType)
    parts = ["__typename"]
    for name, child in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in child.args.values()):
            continue
        label = f"{alias}{name}: {name}" if alias else name
        if is_leaf_type(get_named_type(child.type)):
            parts.append(label)
        elif depth > 0:
            parts.append(f"{label} {_selection(child.type, depth - 1, schema)}")
    return "{ " + " ".join(parts) + " }"


def document(root: RootField, args: Arguments, schema: GraphQLSchema, depth: int = 3) -> str:
    declared = [f"${name}: {root.field.args[name].type}" for name in args.values]
    passed = [f"{name}: ${name}" for name in args.values]
    head = f"({', '.join(declared)})" if declared else ""
    call = f"({', '.join(passed)})" if passed else ""
    return f"{root.operation}{head} {{ {root.name}{call} {_selection(root.field.type, depth, schema)} }}"


# --- judging ---------------------------------------------------------------------------------


def visible_text(body: Any) -> str:
    """The response as text, plus what opaque cursors decode to (they embed ids)."""
    texts = [orjson.dumps(body).decode()]
    for value in _strings(body):
        if len(value) >= 16 and re.fullmatch(r"[A-Za-z0-9_-]+=*", value):
            with contextlib.suppress(binascii.Error, UnicodeDecodeError, ValueError):
                texts.append(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode())
    return "\n".join(texts)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def is_empty(value: Any) -> bool:
    """Null, an empty list, a connection without nodes, or an object of nothing but zeros."""
    if value in (None, [], {}, 0, False, ""):
        return True
    if isinstance(value, list):
        return False
    if isinstance(value, dict):
        if "nodes" in value or "edges" in value:
            return not value.get("nodes") and not value.get("edges")
        return all(is_empty(v) for k, v in value.items() if k not in ("__typename", "pageInfo"))
    return False


def leaks(text: str, forbidden: set[str]) -> list[str]:
    return sorted(f for f in forbidden if f in text)
