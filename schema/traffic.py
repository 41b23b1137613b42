"""The schema's side of traffic control: ``CostCharging`` prices every operation before it
runs and charges the caller's bucket (``app.traffic``), then refunds down to what it really
returned; ``build_cost_model`` reads the fields' declared costs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLSchema, OperationType
from strawberry.extensions.base_extension import SchemaExtension

from app.errors import ApiError, ErrorCode
from app.traffic.cost import CostModel, OperationCost, Paging, TooManyFields
from app.traffic.record import RateClass, RequestTraffic
from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from schema.costs import declared_costs
from schema.extensions import DocumentCache


def build_cost_model(schema: GraphQLSchema) -> CostModel:
    return CostModel(
        schema,
        declared_costs(schema),
        Paging(default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE),
    )


def traffic_of(context: Any) -> RequestTraffic | None:
    traffic = getattr(context, "traffic", None)
    return traffic if isinstance(traffic, RequestTraffic) else None


class CostCharging(SchemaExtension):
    """Before execution: the operation's cost, ``QUERY_TOO_COMPLEX`` above the maximum, and
    the charge (429 when the bucket or the day's quota is empty). After: the refund down to
    the actual cost, and ``extensions.cost``. Operations run without a request (webhook
    payloads, the CLI) carry no ``RequestTraffic`` and are not priced."""

    def __init__(self, documents: DocumentCache, model: CostModel | None = None) -> None:
        self.documents = documents
        self.model = model

    def _plan(self) -> OperationCost | None:
        context = self.execution_context
        document = context.graphql_document
        model: CostModel | None = self.model or getattr(context.schema, "costs", None)
        if document is None or model is None:
            return None
        try:
            return self.documents.plan(document, context.operation_name, model.compile)
        except TooManyFields as error:
            raise ApiError(
                ErrorCode.QUERY_TOO_COMPLEX, f"This query is too large to run: {error}."
            ) from None

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        traffic = traffic_of(context.context)
        plan = self._plan() if traffic is not None else None
        if traffic is None or plan is None:
            yield
            return
        variables = context.variables
        mutation = plan.operation is OperationType.MUTATION
        await traffic.admit(
            RateClass.WRITE if mutation else RateClass.READ, plan.requested(variables)
        )
        yield
        if plan.operation is OperationType.SUBSCRIPTION:
            traffic.actual_cost = traffic.requested_cost
            return
        result = context.result
        data = getattr(result, "data", None)
        await traffic.settle(plan.actual(data, variables))

    def get_results(self) -> dict[str, Any]:
        traffic = traffic_of(self.execution_context.context)
        if traffic is None or traffic.requested_cost is None:
            return {}
        return {"cost": traffic.cost_extension()}
