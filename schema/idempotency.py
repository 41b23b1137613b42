"""The schema's side of idempotency keys: ``IdempotentMutations`` claims the request's key once
a mutation is admitted, and skips execution when the answer is a stored one (the executor then
hands the transport's work to ``RequestTransactions``, which sends it)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.types.graphql import OperationType

from app.idempotency import Idempotency, IdempotentRequest
from app.ids import IdPrefix, new_id


class IdempotentMutations(SchemaExtension):
    """Listed after ``CostCharging``: a request the rate limit refuses never claims its key."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        ctx = context.context
        idempotency: Idempotency | None = getattr(ctx, "idempotency", None)
        request: IdempotentRequest | None = getattr(ctx, "idempotent_request", None)
        if (
            idempotency is None
            or request is None
            or context.operation_type is not OperationType.MUTATION
        ):
            yield
            return
        fingerprint = request.fingerprint(
            context.query or "", context.operation_name, context.variables
        )
        holder = ctx.request_id or new_id(IdPrefix.REQUEST)
        run = await idempotency.begin(request, ctx.org_id, holder, fingerprint)
        if run is None:
            context.result = GraphQLExecutionResult(data=None, errors=None)
        yield
        if run is not None and not _executed(context.result):
            await run.withdraw()


def _executed(result: object) -> bool:
    """Whether any field ran: errors all without a path and no data mean the operation was
    refused whole (its variables did not coerce), as the GraphQL endpoint's status says too."""
    errors = getattr(result, "errors", None)
    if not errors or getattr(result, "data", None) is not None:
        return True
    return any(error.path for error in errors)
