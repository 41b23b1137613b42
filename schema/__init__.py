"""The GraphQL contract: every domain's queries and mutations merged into one schema."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from app.errors import ApiError
from schema import events, node, projects, webhooks
from schema.extensions import build_extensions
from schema.scalars import SCALAR_OVERRIDES

logger = logging.getLogger("reelhouse.graphql")

DOMAINS = (node, projects, events, webhooks)
"""Each domain module exports ``QUERIES`` and ``MUTATIONS`` (and may export ``SUBSCRIPTIONS``),
tuples of strawberry types, and registers its node kinds when imported."""

QUERIES: tuple[type, ...] = tuple(t for d in DOMAINS for t in d.QUERIES)
MUTATIONS: tuple[type, ...] = tuple(t for d in DOMAINS for t in d.MUTATIONS)
SUBSCRIPTIONS: tuple[type, ...] = tuple(t for d in DOMAINS for t in getattr(d, "SUBSCRIPTIONS", ()))


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log only what is our fault; caller errors are answered, not logged."""
        for error in errors:
            original = error.original_error
            if original is not None and not isinstance(original, ApiError):
                logger.error("unhandled error in %s", error.path, exc_info=original)


def build_schema(*, max_depth: int = 12, max_tokens: int = 4000) -> Schema:
    query: Any = merge_types("Query", QUERIES)
    mutation: Any = merge_types("Mutation", MUTATIONS)
    subscription: Any = merge_types("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None
    return Schema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        extensions=build_extensions(max_depth, max_tokens),
        scalar_overrides=SCALAR_OVERRIDES,
        config=StrawberryConfig(auto_camel_case=True),
    )
