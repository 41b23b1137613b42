"""How the console reads and acts: GraphQL documents through the same ``Executor`` as
``/graphql`` and ``/v1``, with the signed-in user as the request's principal.

Nothing here decides what a person may do. The schema's extensions and resolvers do, exactly as
for an API key: scopes, project limits, rate limits, idempotency and audit apply unchanged, and
whatever they refuse comes back as the contract's error, which the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types.graphql import OperationType

from app.auth.principal import Principal
from app.errors import ApiError, ErrorCode, FieldError
from app.http.errors import request_id_of
from app.http.graphql import Executor, format_error
from app.types import Scope

TRANSPORT = "console"
"""``scope["state"]["transport"]`` of console requests: what the audit log records."""

QUERY = frozenset({OperationType.QUERY})
MUTATION = frozenset({OperationType.QUERY, OperationType.MUTATION})


def mutation(field_name: str, input_type: str, selection: str) -> str:
    """``mutation Console<Field>($input: <Input>!) { field(input: $input) { … userErrors } }``:
    the one shape of every console action (its operation name shows in the audit log)."""
    name = "Console" + field_name[0].upper() + field_name[1:]
    return (
        f"mutation {name}($input: {input_type}!) {{\n"
        f"  {field_name}(input: $input) {{ {selection} userErrors {{ field code message }} }}\n}}"
    )


def listing(name: str, field_name: str, selection: str) -> str:
    """``query <name>($after: String) { field(first: 50, after: $after) { nodes { … } pageInfo
    { … } } }``: a list page, 50 at a time (``View.page`` reads it)."""
    return (
        f"query {name}($after: String) {{\n"
        f"  {field_name}(first: 50, after: $after) {{\n"
        f"    nodes {{ {selection} }}\n"
        "    pageInfo { hasNextPage endCursor }\n  }\n}"
    )


@dataclass(frozen=True, slots=True)
class UserErrors:
    """A mutation's ``userErrors`` (and a ``VALIDATION_FAILED`` error's fields) by form field:
    the last segment of each path (``["input", "name"]`` → ``name``); ``""`` for the form."""

    by_field: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, entries: list[dict[str, Any]]) -> UserErrors:
        found: dict[str, list[str]] = {}
        for entry in entries:
            path = entry.get("field") or []
            name = str(path[-1]) if path else ""
            if len(path) >= 2 and (isinstance(path[-1], int) or str(path[-1]).isdigit()):
                name = str(path[-2])
            found.setdefault(name, []).append(str(entry.get("message", "")))
        return cls(found)

    @classmethod
    def refused(cls, error: ApiError) -> UserErrors:
        """A query's refused argument (``VALIDATION_FAILED`` with fields) by field; any other
        error is raised again (the page shows it)."""
        if error.code is not ErrorCode.VALIDATION_FAILED or not error.fields:
            raise error
        return cls.of([{"field": list(f.field), "message": f.message} for f in error.fields])

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def get(self, name: str) -> list[str]:
        return self.by_field.get(name, [])

    def unplaced(self, names: set[str]) -> list[str]:
        """Messages for no field of the form (shown at its top)."""
        return [m for name, ms in self.by_field.items() if name not in names for m in ms]


def _as_api_error(entry: dict[str, Any]) -> ApiError:
    extensions = entry.get("extensions") or {}
    raw = extensions.get("code", ErrorCode.INTERNAL.value)
    code = ErrorCode(raw) if raw in ErrorCode.__members__ else ErrorCode.BAD_REQUEST
    fields = [
        FieldError(tuple(f["field"]), f["code"], f["message"])
        for f in extensions.get("fields") or []
    ]
    return ApiError(code, str(entry.get("message", "")), fields=fields)


class Caller:
    """One console request's way into the API, as its signed-in user."""

    def __init__(self, executor: Executor, scope: Scope, principal: Principal) -> None:
        state = scope.setdefault("state", {})
        state["principal"] = principal
        state["transport"] = TRANSPORT
        self._executor = executor
        self._scope = scope
        self.principal = principal

    @property
    def request_id(self) -> str | None:
        return request_id_of(self._scope)

    async def _run(
        self, document: str, variables: dict[str, Any] | None, allowed: frozenset[OperationType]
    ) -> dict[str, Any]:
        result = await self._executor.execute(self._scope, document, variables, allowed=allowed)
        if result.errors:
            first = result.errors[0]
            if isinstance(first.original_error, ApiError):
                raise first.original_error
            raise _as_api_error(format_error(first, self.request_id))
        assert result.data is not None
        return result.data

    async def query(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The data of a query; any error raises it as an ``ApiError`` (the page shows it)."""
        return await self._run(document, variables, QUERY)

    async def mutate(
        self, document: str, variables: dict[str, Any]
    ) -> tuple[dict[str, Any], UserErrors]:
        """A mutation's one payload and its ``userErrors`` by field. ``VALIDATION_FAILED`` with
        fields (input the schema refused before the resolver) comes back as user errors too."""
        try:
            data = await self._run(document, variables, MUTATION)
        except ApiError as error:
            return {}, UserErrors.refused(error)
        [payload] = data.values()
        return payload, UserErrors.of(payload.get("userErrors") or [])
