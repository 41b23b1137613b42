"""Every query and mutation of the schema, called across organisations, projects and scopes.

The fields come from ``build_schema()`` and the data from the SQLModel tables, so a field or
table added by any domain is covered without touching this file. For every root field:

- a key of organisation B given A's ids gets null / empty / NOT_FOUND (or FORBIDDEN), never
  a successful write, never any of A's ids or values, and A's rows stay unchanged;
- a key of A limited to project P1, given ids of P2, gets the same treatment;
- a key lacking the field's declared scope gets UNAUTHORIZED_SCOPE (even with its own org's
  ids), and a key holding it is not refused for scope. Fields whose scope depends on the
  object (declared with ``scope=None``) may refuse any key for scope.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLInterfaceType, get_named_type
from sqlalchemy import select
from sqlmodel import col

from app.auth.issuing import issue_key
from app.auth.scopes import PRESETS, Scope, grants
from app.models import ApiKey
from schema import build_schema
from schema.node import NODE_KINDS
from tests.conftest import Tenant
from tests.isolation_fixtures import (
    Arguments,
    IdPool,
    RootField,
    Seeded,
    arguments,
    document,
    is_empty,
    leaks,
    node_type_names,
    root_fields,
    seed_organisation,
    snapshot,
    visible_text,
)

SCHEMA = build_schema().__dict__["_schema"]
ROOTS = root_fields(SCHEMA)
TYPE_OF_PREFIX = node_type_names()
NODE_TYPES = set(TYPE_OF_PREFIX.values())
REFUSALS = {"NOT_FOUND", "FORBIDDEN"}
ECHOES = {"auditLog": frozenset({"arguments", "path", "projectId"})}
"""Fields that repeat what the caller's own organisation sent: the audit trail shows the
arguments, path and named project of B's earlier calls, which carry A's ids because this test
sent them. A's records themselves (its keys, its organisation) are still leaks."""


def _without(value: Any, names: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, names) for k, v in value.items() if k not in names}
    if isinstance(value, list):
        return [_without(v, names) for v in value]
    return value


@dataclass
class Caller:
    label: str
    token: str
    scopes: frozenset[Scope]
    pool: IdPool
    forbidden: set[str]
    only_scope_errors: bool = False
    """Expected to be refused for scope everywhere (it holds no scope)."""


@dataclass
class Call:
    root: RootField
    scope: Scope | None
    args: Arguments


def _pool(seeded: Seeded, project_id: str, key_id: str) -> IdPool:
    by_type: dict[str, str] = {}
    rows = seeded.ids_in(project_id)
    for prefix, kind in NODE_KINDS.items():
        table = kind.model.__tablename__
        ids = [key_id] if table == "api_keys" else rows.get(table) or []
        if ids:
            by_type[TYPE_OF_PREFIX[prefix]] = ids[0]
    return IdPool(by_type, fallback=project_id)


def _calls(pool: IdPool) -> list[Call]:
    calls = []
    for root in ROOTS:
        returned = get_named_type(root.field.type)
        if isinstance(returned, GraphQLInterfaceType) and "id" in root.field.args:
            for prefix, kind in NODE_KINDS.items():
                target = pool.by_type.get(TYPE_OF_PREFIX[prefix])
                if target is not None:
                    calls.append(Call(root, kind.read_scope, Arguments({"id": target}, ids=1)))
            continue
        calls.append(Call(root, root.scope, arguments(root, pool, NODE_TYPES)))
    return calls


def _judge(caller: Caller, call: Call, body: dict[str, Any]) -> list[str]:
    name = call.root.name
    problems: list[str] = []
    errors = body.get("errors") or []
    codes = {e.get("extensions", {}).get("code") for e in errors}
    root_codes = {e.get("extensions", {}).get("code") for e in errors if e.get("path") == [name]}
    value = (body.get("data") or {}).get(name)
    if "INTERNAL" in codes or None in codes:
        problems.append(f"internal error: {errors}")
    shown = _without(body, ECHOES[name]) if name in ECHOES else body
    found = leaks(visible_text(shown), caller.forbidden)
    if found:
        problems.append(f"sees what it must not: {found[:5]}")
    denied = call.scope is not None and not grants(caller.scopes, call.scope)
    if caller.only_scope_errors and call.scope is None:
        denied = True
    if denied:
        if "UNAUTHORIZED_SCOPE" not in codes or value is not None:
            problems.append(f"not refused for scope {call.scope}: {body}")
        return problems
    if call.scope is None and "UNAUTHORIZED_SCOPE" in root_codes:
        return problems
    if "UNAUTHORIZED_SCOPE" in root_codes:
        problems.append(f"refused for scope it holds: {errors}")
    if call.args.ids == 0 or codes & REFUSALS:
        return problems
    if call.root.operation == "query":
        if not is_empty(value):
            problems.append(f"returned data for another tenant's id: {value}")
        return problems
    user_codes = {e["code"] for e in (value or {}).get("userErrors") or []}
    succeeded = value is not None and not errors and not user_codes
    if succeeded:
        problems.append(f"a write with another tenant's id succeeded: {value}")
    elif call.args.others == 0 and "NOT_FOUND" not in user_codes:
        problems.append(f"expected NOT_FOUND, got {body}")
    return problems


async def _run(caller: Caller, tenant: Tenant) -> tuple[list[str], int]:
    problems = []
    calls = _calls(caller.pool)
    for call in calls:
        query = document(call.root, call.args, SCHEMA)
        result = await tenant.gql(query, call.args.values, token=caller.token)
        assert result.status not in (401, 500), (caller.label, query, result.body)
        for problem in _judge(caller, call, result.body):
            problems.append(
                f"[{caller.label}] {call.root.label} {call.args.values}: {problem}\n  {query}"
            )
    return problems, len(calls)


async def _key(services: Any, org_id: str, scopes: frozenset[Scope], **limits: Any) -> str:
    async with services.db.writing() as session:
        _, token = await issue_key(session, org_id=org_id, name="matrix", scopes=scopes, **limits)
    return token


async def test_every_field_respects_tenants_projects_and_scopes(
    make_tenant: Any, services: Any
) -> None:
    org_a, org_b = await make_tenant(), await make_tenant()
    marker = f"mx{secrets.token_hex(3)}"
    seeded = await seed_organisation(services.db, org_a.org_id, marker)
    assert not seeded.failures, "could not generate rows:\n" + "\n".join(seeded.failures)
    p1, p2 = seeded.projects

    full = PRESETS["full_access"]
    limited = await _key(services, org_a.org_id, full, project_ids=[p1])
    scopeless = await _key(services, org_a.org_id, frozenset())
    async with services.db.reading() as session:
        a_keys = dict(
            (
                await session.execute(
                    select(col(ApiKey.id), col(ApiKey.project_ids)).where(
                        col(ApiKey.org_id) == org_a.org_id
                    )
                )
            ).all()
        )
    admin_key_id = next(k for k, projects in a_keys.items() if projects is None)
    all_of_a = {org_a.org_id, *a_keys, *seeded.strings} | {
        row_id
        for by_project in seeded.rows.values()
        for ids in by_project.values()
        for row_id in ids
    }
    outside_p1 = {row_id for ids in seeded.ids_in(p2).values() for row_id in ids} | {
        k for k, projects in a_keys.items() if projects is None or set(projects) - {p1}
    }

    callers = [
        Caller(
            f"org B {label}",
            await _key(services, org_b.org_id, scopes),
            scopes,
            _pool(seeded, p1, admin_key_id),
            all_of_a,
        )
        for label, scopes in (
            ("no scopes", frozenset()),
            ("read_only", PRESETS["read_only"]),
            ("full_access", full),
            ("admin", frozenset({Scope.ADMIN})),
        )
    ]
    callers.append(
        Caller(
            "org A, no scopes, own ids",
            scopeless,
            frozenset(),
            _pool(seeded, p1, admin_key_id),
            all_of_a - {org_a.org_id},
            only_scope_errors=True,
        )
    )

    def not_own_trail(table: str, row: Mapping[str, Any]) -> bool:
        """Org A's own keys' calls are recorded in org A's trail, whenever the batch lands."""
        return not (table == "audit_records" and row.get("key_id") in a_keys)

    before = await snapshot(services.db, org_a.org_id, not_own_trail)
    problems: list[str] = []
    calls = 0
    for caller in callers:
        found, made = await _run(caller, org_a)
        problems += found
        calls += made
    if await snapshot(services.db, org_a.org_id, not_own_trail) != before:
        problems.append("organisation A was changed by calls of other keys")

    def outside(table: str, row: Mapping[str, Any]) -> bool:
        if table in ("events", "audit_records"):  # what happened, not P2's data
            return False
        return row.get("id") in outside_p1 or row.get("project_id") == p2

    before_p2 = await snapshot(services.db, org_a.org_id, outside)
    limited_caller = Caller(
        "org A limited to P1", limited, full, _pool(seeded, p2, admin_key_id), outside_p1
    )
    found, made = await _run(limited_caller, org_a)
    problems += found
    calls += made
    if await snapshot(services.db, org_a.org_id, outside) != before_p2:
        problems.append("project P2 was changed by a key limited to P1")

    assert calls >= len(ROOTS) * len([*callers, limited_caller])
    assert not problems, f"{len(problems)} of {calls} calls misbehaved:\n" + "\n".join(problems)
