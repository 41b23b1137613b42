"""A ceiling on the size of a query's answer, enforced while the answer is built.

Cost bounds how many objects a query may ask for, not how large they are: thirty aliases of a
list of objects with 64 KB JSON fields still make hundreds of megabytes. Every scalar the
executor completes adds its size (a string's length, a JSON value's encoded length, a few
bytes for numbers and the key around it) to the operation's running total; past the ceiling the
execution stops where it is, and the answer is one ``QUERY_TOO_COMPLEX`` error with no data,
never a half-built giant. Mutations are not cut (their writes are done by the time their
payload is built, and a payload is small); subscriptions send one small event at a time.
"""

from __future__ import annotations

from typing import Any

import orjson
from graphql import GraphQLError, GraphQLLeafType, OperationType
from graphql.execution import ExecutionResult
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from app.errors import ApiError, ErrorCode

ENTRY_BYTES = 8
"""What a value costs besides itself: its key, quotes, separators (a rough, fair share)."""


class _Overflow(BaseException):
    """Unwinds the whole execution: a ``BaseException``, so no field's error handling turns it
    into one more located error per remaining field."""


def too_large(limit: int) -> ApiError:
    return ApiError(
        ErrorCode.QUERY_TOO_COMPLEX,
        f"The answer grew past the {limit}-byte response limit and was stopped; select fewer "
        "fields or ask for smaller pages.",
    )


def size_limited_context(max_bytes: int) -> type[StrawberryGraphQLCoreExecutionContext]:
    class SizeLimitedExecutionContext(StrawberryGraphQLCoreExecutionContext):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.response_bytes = 0
            self.response_limit = (
                max_bytes if self.operation.operation is OperationType.QUERY else None
            )

        def complete_leaf_value(  # type: ignore[override]
            self, return_type: GraphQLLeafType, result: Any
        ) -> Any:
            value = StrawberryGraphQLCoreExecutionContext.complete_leaf_value(return_type, result)
            if self.response_limit is not None:
                kind = type(value)
                if kind is str:
                    size = len(value) + ENTRY_BYTES
                elif kind is int or kind is float or kind is bool:
                    size = 2 * ENTRY_BYTES
                else:
                    size = len(orjson.dumps(value)) + ENTRY_BYTES
                self.response_bytes += size
                if self.response_bytes > self.response_limit:
                    raise _Overflow
            return value

        def execute_operation(self, serially: bool | None = None) -> Any:
            try:
                result = super().execute_operation(serially)
            except _Overflow:
                return self._stopped()
            if not self.is_awaitable(result):
                return result

            async def guarded() -> Any:
                try:
                    return await result
                except _Overflow:
                    return self._stopped()

            return guarded()

        def _stopped(self) -> ExecutionResult:
            error = too_large(max_bytes)
            return ExecutionResult(
                None,
                errors=[
                    GraphQLError(
                        error.message,
                        extensions={"code": error.code.value},
                        original_error=error,
                    )
                ],
            )

    return SizeLimitedExecutionContext
