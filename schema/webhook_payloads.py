"""Webhook payloads chosen by a GraphQL subscription document (Saleor's model).

The document is checked when an endpoint is saved: valid against the schema, one subscription
operation selecting the root field ``events`` without arguments or variables. At delivery it
runs against the event, with the current permissions of the credential that saved it (the
sender resolves them, ``app.auth.owners``), and the body is its result, exactly what the same subscription delivers over WebSocket.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    parse,
    specified_rules,
    validate,
)
from strawberry.schema.base import BaseSchema

from app.auth.principal import Principal
from app.auth.scopes import Scope
from app.database import Database
from app.events.records import envelope
from app.events.sender import PayloadUnavailable
from app.http.graphql import format_error
from app.models import Event, WebhookEndpoint
from app.settings import Settings
from resolvers.context import Context
from resolvers.webhooks import DocumentCheck
from schema.events import EventType
from schema.extensions import depth_limit_rule

ROOT_FIELD = "events"


@lru_cache(maxsize=256)
def _parsed(document: str) -> DocumentNode:
    return parse(document)


def _graphql_schema(schema: BaseSchema) -> Any:
    return schema._schema  # type: ignore[attr-defined]


def document_problems(schema: BaseSchema, document: str, ctx: Context) -> list[str]:
    """Why ``document`` cannot be a payload document (empty: it can)."""
    try:
        node = parse(document, max_tokens=ctx.settings.max_query_tokens)
    except GraphQLError as error:
        return [f"Not a valid GraphQL document: {error.message}"]
    rules = [*specified_rules, depth_limit_rule(ctx.settings.max_query_depth)]
    errors = validate(_graphql_schema(schema), node, rules)
    if errors:
        return [e.message for e in errors[:10]]
    operations = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        return ["Give exactly one `subscription` operation."]
    operation = operations[0]
    if operation.variable_definitions:
        return ["A payload document takes no variables."]
    roots = operation.selection_set.selections
    if len(roots) != 1 or not isinstance(roots[0], FieldNode) or roots[0].name.value != ROOT_FIELD:
        return [f"Select exactly one root field, `{ROOT_FIELD}`."]
    if roots[0].arguments:
        return [
            f"`{ROOT_FIELD}` takes no arguments here: the endpoint's `eventTypes` and "
            "`projectIds` choose the events."
        ]
    if not ctx.principal.has(Scope.EVENTS_READ):
        return ["Saving a payload document needs the `events:read` scope: it runs as this key."]
    return []


def document_checker(schema: BaseSchema) -> DocumentCheck:
    def check(document: str, ctx: Context) -> list[str]:
        return document_problems(schema, document, ctx)

    return check


class PayloadRenderer:
    """The sender's ``render``: the event, or the result of the endpoint's document."""

    def __init__(self, schema: BaseSchema, db: Database, settings: Settings) -> None:
        self.schema = schema
        self.db = db
        self.settings = settings

    async def __call__(
        self, endpoint: WebhookEndpoint, event: Event, owner: Principal
    ) -> dict[str, Any]:
        if not endpoint.subscription_query:
            return envelope(event)
        if owner.org_id != endpoint.org_id or not owner.has(Scope.EVENTS_READ):
            raise PayloadUnavailable(
                "The credential that saved this endpoint's payload document lacks "
                "`events:read`; save the document again with one that has it."
            )
        context = Context(db=self.db, settings=self.settings, principal=owner)
        result = execute(
            _graphql_schema(self.schema),
            _parsed(endpoint.subscription_query),
            root_value=EventType.from_row(event),
            context_value=context,
        )
        if inspect.isawaitable(result):
            result = await result
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [format_error(e, None) for e in result.errors]
        return body
