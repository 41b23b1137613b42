"""The GraphQL contract: every domain's queries and mutations merged into one schema."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from app.traffic.cost import CostModel
from schema import (
    api_keys,
    assets,
    audit,
    automations,
    content,
    content_mutations,
    events,
    jobs,
    manifests,
    metadata,
    node,
    oauth_clients,
    projects,
    telemetry,
    templates,
    usage,
    users,
    viewer,
    webhooks,
)
from schema.extensions import DocumentCache, DocumentLimits, build_extensions, tag_errors
from schema.idempotency import IdempotentMutations
from schema.response_size import size_limited_context
from schema.scalars import SCALAR_MAP
from schema.traffic import CostCharging, build_cost_model

logger = logging.getLogger("reelhouse.graphql")

DOMAINS = (
    node,
    projects,
    content,
    content_mutations,
    metadata,
    assets,
    templates,
    jobs,
    automations,
    manifests,
    api_keys,
    events,
    webhooks,
    telemetry,
    audit,
    users,
    oauth_clients,
    viewer,
    usage,
)
"""Each domain module exports ``QUERIES`` and ``MUTATIONS`` (and may export ``SUBSCRIPTIONS``),
tuples of strawberry types, and registers its node kinds when imported."""

QUERIES: tuple[type, ...] = tuple(t for d in DOMAINS for t in d.QUERIES)
MUTATIONS: tuple[type, ...] = tuple(t for d in DOMAINS for t in d.MUTATIONS)
SUBSCRIPTIONS: tuple[type, ...] = tuple(t for d in DOMAINS for t in getattr(d, "SUBSCRIPTIONS", ()))


class Schema(strawberry.Schema):
    documents: DocumentCache
    """The parse cache its extensions read; ``/v1`` pins its generated documents here."""
    costs: CostModel
    """Prices operations (``CostCharging``); built from the fields' declared costs."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Code the caller's errors; log only what is our fault (answered as ``INTERNAL``)."""
        for error in tag_errors(errors):
            logger.error("unhandled error in %s", error.path, exc_info=error.original_error)


def build_schema(
    *, max_depth: int = 12, max_tokens: int = 4000, limits: DocumentLimits | None = None
) -> Schema:
    query: Any = merge_types("Query", QUERIES)
    mutation: Any = merge_types("Mutation", MUTATIONS)
    subscription: Any = merge_types("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None
    documents = DocumentCache(maxsize=512)
    limits = limits or DocumentLimits()
    schema = Schema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=[
            *build_extensions(max_depth, max_tokens, documents, limits),
            lambda: CostCharging(documents),
            IdempotentMutations,
        ],
        config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALAR_MAP),
        execution_context_class=size_limited_context(limits.max_response_bytes),
    )
    schema.documents = documents
    schema.costs = build_cost_model(schema._schema)
    return schema
