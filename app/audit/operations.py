"""What a GraphQL call asked for, as its audit record keeps it: the operation's type and name,
its root fields, and their arguments (literals and variables alike, redacted), whichever
transport carried the document (``/graphql``, a ``/v1`` route, a WebSocket, the console).

``AuditOperation`` is the schema extension that notes it on the call's draft: after validation
(so the record of a mutation knows what it was before the mutation's transaction commits), or
at the end for a document that never parsed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    Undefined,
    get_operation_ast,
    value_from_ast_untyped,
)
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions.base_extension import SchemaExtension

from app.audit.errors import error_codes
from app.audit.records import AuditDraft, current_record
from app.audit.redaction import redact, scrub
from app.audit.writer import write_in
from app.ids import IdPrefix, prefix_of
from app.models.audit import Transport
from app.transaction import Response, current_transaction

PROJECT_KEYS = ("projectId", "project_id")


def project_of(arguments: Any) -> str | None:
    """The first project the (redacted) arguments name: a ``projectId``, or an ``id`` that is
    a project's."""
    stack = [arguments]
    while stack:
        value = stack.pop(0)
        if isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(item, str) and (
                    key in PROJECT_KEYS or (key == "id" and prefix_of(item) is IdPrefix.PROJECT)
                ):
                    if prefix_of(item) is IdPrefix.PROJECT:
                        return item
                elif isinstance(item, Mapping | list):
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return None


def _plain(value: Any) -> Any:
    if value is Undefined:
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not Undefined}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def describe(
    draft: AuditDraft,
    document: DocumentNode | None,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> None:
    """Note on ``draft`` what ``document`` (None: it did not parse) asks for. A ``/v1``
    route's document is ours, and so is its name: the route's field names the operation."""
    if draft.transport is Transport.REST:
        operation_name = None
    elif operation_name is not None:
        operation_name = scrub(operation_name)
    operation = None
    if document is not None:
        try:
            operation = get_operation_ast(document, operation_name)
        except Exception:
            operation = None
    if operation is None:
        given = redact(dict(variables)) if variables else None
        draft.note_operation(None, operation_name, [], given, project_of(given))
        return
    fields: list[str] = []
    arguments: dict[str, Any] = {}
    values = dict(variables or {})
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value.startswith("__"):
            continue
        name = selection.name.value
        fields.append(name)
        if selection.arguments:
            key = selection.alias.value if selection.alias else name
            try:
                arguments[key] = _plain(
                    {
                        argument.name.value: value_from_ast_untyped(argument.value, values)
                        for argument in selection.arguments
                    }
                )
            except Exception:
                arguments[key] = None
    redacted = redact(arguments) if arguments else None
    draft.note_operation(
        operation.operation.value,
        operation_name
        or (
            operation.name.value
            if operation.name and draft.transport is not Transport.REST
            else None
        ),
        fields,
        redacted,
        project_of(redacted),
    )


def record_with_writes(draft: AuditDraft) -> None:
    """Once an operation has written, its record goes into the request's transaction
    (``app.transaction``), completed from the final answer just before the commit: the
    change and its record commit together or not at all. If the commit fails the record is
    left to the batch writer again, with the answer the client got instead."""
    transaction = current_transaction()
    if transaction is None or not transaction.written or draft.in_transaction:
        return
    draft.in_transaction = True

    async def write(session: AsyncSession, response: Response) -> None:
        if response.status >= 400:
            for code in error_codes(response.body):
                draft.note_error(code)
        draft.finish(response.status)
        await write_in(session, draft)

    async def forget() -> None:
        draft.persisted = False
        draft.status = draft.duration_ms = None

    transaction.before_commit(write)
    transaction.after_rollback(forget)


class AuditOperation(SchemaExtension):
    def __init__(self) -> None:
        self.described = False

    def _describe(self) -> None:
        draft = current_record()
        if draft is None or self.described:
            return
        self.described = True
        context = self.execution_context
        describe(
            draft,
            context.graphql_document,
            getattr(context, "_provided_operation_name", None) or context.operation_name,
            context.variables,
        )

    def on_validate(self) -> Iterator[None]:
        yield
        self._describe()

    def on_execute(self) -> Iterator[None]:
        yield
        draft = current_record()
        if draft is not None:
            record_with_writes(draft)

    def on_operation(self) -> Iterator[None]:
        yield
        self._describe()
