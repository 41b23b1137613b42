"""One behaviour suite, two transports: a small client that speaks GraphQL or /v1 REST.

``api.create("projects", {...})``, ``api.get``, ``api.list``, ``api.update``, ``api.delete`` and
``api.action`` return an ``Outcome`` normalised the REST way (snake_case keys, lowercase enums,
``error`` = the contract code, ``fields`` = ``(field, code)`` pairs in REST names), whichever
transport carried the call. Both clients find the operation in the /v1 route table, so the
GraphQL client sends exactly the document REST runs, over ``/graphql``; the assertions in a
test then hold for both, and a difference between the transports fails it.

To port a domain suite: take the ``api`` fixture (and ``make_api`` for a second tenant) instead
of ``tenant``, call ``api.create("scenes", {...}, parent=project_id)`` etc., and assert on
``outcome.ok()`` / ``outcome.error`` / ``outcome.fields``. Routes that are neither CRUD nor a
list are actions, named by their last path segment: ``api.action("assets", "approve", id)``,
``api.action("jobs", "claim", fields={...})``, ``api.action("scenes", "reorder",
parent=project_id, fields={...})``; an action route named after its resource alone
(``PATCH /v1/metadata/{id}``) is ``api.action("metadata", id=...)``. What only REST has (201 and
``Location``, 204, 404 and 422 statuses) is asserted with ``outcome.on_rest(...)``. Input that
REST's binder refuses before any GraphQL runs (a wrong type, an unknown field) cannot be sent
over GraphQL by this client, which maps names with that binder: such checks are REST-only, and
GraphQL's coercion is tested with raw documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import quote

import httpx
from graphql import ExecutionResult as GraphQLResult
from graphql import GraphQLError

from app.errors import ApiError
from rest_compat.api import RestApi, build_rest_api
from rest_compat.endpoints import Endpoint
from rest_compat.routes import Kind
from schema import build_schema

TRANSPORTS = ("graphql", "rest")
QueryPairs = list[tuple[str, str]]
_PARAM = re.compile(r"{([a-z_]+)}")


@cache
def rest_api() -> RestApi:
    return build_rest_api(build_schema())


@dataclass
class Outcome:
    transport: str
    status: int
    value: Any = None
    """The object (dict), or the items of a list."""
    error: str | None = None
    message: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    has_more: bool | None = None
    next_cursor: str | None = None
    previous_cursor: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def on_rest(self, status: int, **headers: str) -> Outcome:
        """Asserts REST's status and headers (``location="/v1/..."``) when REST carried the
        call; over GraphQL an executed operation is a 200 whatever its outcome."""
        if self.transport != "rest":
            assert self.status == 200, self
            return self
        assert self.status == status, f"rest: {self.status} != {status}: {self}"
        for name, value in headers.items():
            assert self.headers.get(name) == value, (name, self.headers)
        return self

    def ok(self) -> Any:
        assert self.error is None, f"{self.transport}: {self.error} {self.message} {self.fields}"
        return self.value

    @property
    def items(self) -> list[dict[str, Any]]:
        assert isinstance(self.value, list), self
        return self.value

    @property
    def ids(self) -> list[str]:
        return [item["id"] for item in self.items]


def find_endpoint(resource: str, kind: Kind, verb: str | None = None) -> Endpoint:
    """The endpoint for ``kind`` of ``resource`` (its REST plural, e.g. ``projects``); an
    action is named by its last path segment (``verb``), or by the resource alone."""
    for endpoint in rest_api().endpoints:
        route = endpoint.route
        segments = [s for s in route.path.split("/") if s and not s.startswith("{")]
        if route.kind is not kind:
            continue
        if kind is Kind.ACTION:
            if segments[-1] == (verb or resource) and resource in segments:
                return endpoint
        elif segments[-1] == resource:
            return endpoint
    raise KeyError(f"no {kind} route for {resource} {verb or ''}")


def _query_text(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in values]


@dataclass
class Api:
    """Calls as one API key; ``transport`` is ``graphql`` or ``rest``."""

    http: httpx.AsyncClient
    token: str
    transport: str
    tenant: Any = None
    """The ``tests.conftest.Tenant`` the key belongs to (for ``api.tenant.key(...)``)."""

    async def create(
        self, resource: str, fields: dict[str, Any], *, parent: str | None = None, **kw: Any
    ) -> Outcome:
        endpoint = find_endpoint(resource, Kind.CREATE)
        return await self.call(endpoint, _parent(endpoint, parent), body=fields, **kw)

    async def get(self, resource: str, id: str, **kw: Any) -> Outcome:
        return await self.call(find_endpoint(resource, Kind.GET), {"id": id}, **kw)

    async def list(
        self, resource: str, *, parent: str | None = None, token: str | None = None, **params: Any
    ) -> Outcome:
        """``params`` are the REST query parameters: ``limit``, ``cursor``, ``ending_before``,
        ``sort``, filters."""
        endpoint = find_endpoint(resource, Kind.LIST)
        query = [(k, v) for k, value in params.items() for v in _query_text(value)]
        return await self.call(endpoint, _parent(endpoint, parent), query=query, token=token)

    async def update(self, resource: str, id: str, fields: dict[str, Any], **kw: Any) -> Outcome:
        return await self.call(find_endpoint(resource, Kind.UPDATE), {"id": id}, body=fields, **kw)

    async def delete(self, resource: str, id: str, **kw: Any) -> Outcome:
        return await self.call(find_endpoint(resource, Kind.DELETE), {"id": id}, **kw)

    async def action(
        self,
        resource: str,
        verb: str | None = None,
        id: str | None = None,
        fields: dict[str, Any] | None = None,
        *,
        parent: str | None = None,
        **kw: Any,
    ) -> Outcome:
        endpoint = find_endpoint(resource, Kind.ACTION, verb)
        path = {"id": id} if id is not None else _parent(endpoint, parent)
        return await self.call(endpoint, path, body=fields, **kw)

    async def call(
        self,
        endpoint: Endpoint,
        path: dict[str, str],
        *,
        query: QueryPairs | None = None,
        body: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> Outcome:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        if self.transport == "rest":
            return await self._rest(endpoint, path, query or [], body, headers)
        return await self._graphql(endpoint, path, query or [], body, headers)

    async def _rest(
        self,
        endpoint: Endpoint,
        path: dict[str, str],
        query: QueryPairs,
        body: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> Outcome:
        url = _PARAM.sub(lambda m: quote(path[m.group(1)], safe=""), endpoint.route.path)
        response = await self.http.request(
            endpoint.route.method, url, params=tuple(query), json=body, headers=headers
        )
        outcome = Outcome("rest", response.status_code, headers=dict(response.headers))
        if response.status_code == 204:
            return outcome
        payload = response.json()
        if response.status_code >= 400:
            error = payload["error"]
            outcome.error, outcome.message = error["code"], error["message"]
            outcome.fields = [(f["field"], f["code"]) for f in error.get("fields", [])]
        elif endpoint.route.kind is Kind.LIST:
            outcome.value = payload["data"]
            outcome.has_more, outcome.next_cursor = payload["has_more"], payload["next_cursor"]
            outcome.previous_cursor = payload.get("previous_cursor")
        else:
            outcome.value = payload
        return outcome

    async def _graphql(
        self,
        endpoint: Endpoint,
        path: dict[str, str],
        query: QueryPairs,
        body: dict[str, Any] | None,
        headers: dict[str, str],
    ) -> Outcome:
        try:
            variables = endpoint.binder.bind(path, query, body).variables
        except ApiError as error:
            raise AssertionError(
                f"REST's binder maps this client's GraphQL variables and refused them: "
                f"{error.message} A check of REST's own input rules is REST-only."
            ) from error
        response = await self.http.post(
            "/graphql",
            json={"query": endpoint.document, "variables": variables},
            headers=headers,
        )
        outcome = Outcome("graphql", response.status_code, headers=dict(response.headers))
        payload = response.json()
        errors = [
            GraphQLError(e["message"], path=e.get("path"), extensions=e.get("extensions"))
            for e in payload.get("errors") or []
        ]
        try:
            reply = endpoint.reply(GraphQLResult(payload.get("data"), errors or None), variables)
        except ApiError as error:
            outcome.error, outcome.message = error.code.value, error.message
            outcome.fields = [(".".join(f.field), f.code) for f in error.fields]
            return outcome
        if endpoint.route.kind is Kind.LIST:
            outcome.value = reply.body["data"]
            outcome.has_more, outcome.next_cursor = (
                reply.body["has_more"],
                reply.body["next_cursor"],
            )
            outcome.previous_cursor = reply.body.get("previous_cursor")
        else:
            outcome.value = reply.body
        return outcome


def _parent(endpoint: Endpoint, parent: str | None) -> dict[str, str]:
    names = [p.name for p in endpoint.binder.path_params]
    if not names:
        assert parent is None, f"{endpoint.route.path} is not nested"
        return {}
    assert parent is not None, f"{endpoint.route.path} needs parent="
    return {names[0]: parent}
