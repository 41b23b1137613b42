"""Building the whole ``/v1`` API from a schema, once, at start-up."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSchema, parse
from strawberry.schema.base import BaseSchema

from rest_compat.endpoints import Endpoint, RouteBuildError, compile_endpoint
from rest_compat.overrides import ALIASES, EXCLUSIONS, OVERRIDES
from rest_compat.routes import Kind, Override, RouteTable, derive_routes

logger = logging.getLogger("reelhouse.rest")


@dataclass(frozen=True)
class RestApi:
    table: RouteTable
    endpoints: tuple[Endpoint, ...]
    problems: Mapping[str, str]
    """Root fields whose route could not be built (field → why); logged, and a test fails."""
    graphql_schema: GraphQLSchema

    def endpoint(self, method: str, path: str) -> Endpoint:
        """The endpoint of a route template, e.g. ``("GET", "/v1/projects/{id}")``."""
        for endpoint in self.endpoints:
            if endpoint.route.method == method and endpoint.route.path == path:
                return endpoint
        raise KeyError(f"{method} {path}")

    def find(self, operation: str, field: str) -> Endpoint:
        for endpoint in self.endpoints:
            if endpoint.route.operation == operation and endpoint.route.field == field:
                return endpoint
        raise KeyError(f"{operation} {field}")


def graphql_schema_of(schema: BaseSchema | GraphQLSchema) -> GraphQLSchema:
    if isinstance(schema, GraphQLSchema):
        return schema
    inner: GraphQLSchema = getattr(schema, "_schema")  # noqa: B009 (strawberry keeps it private)
    return inner


def build_rest_api(
    schema: BaseSchema,
    *,
    overrides: Mapping[str, Override] = OVERRIDES,
    exclusions: Mapping[str, str] = EXCLUSIONS,
    aliases: Mapping[str, Sequence[Override]] = ALIASES,
) -> RestApi:
    """Derives the routes and compiles each; pins their documents in the schema's parse cache
    when it has one (``schema.documents``), so a request never parses."""
    graphql_schema = graphql_schema_of(schema)
    table = derive_routes(graphql_schema, overrides, exclusions, aliases)
    documents: Any = getattr(schema, "documents", None)
    parse_document = documents.pin if documents is not None else parse
    locations = {
        r.resource: r.path
        for r in table.routes
        if r.kind is Kind.GET
        and r.resource
        and (resource := table.resources.for_type(r.resource)) is not None
        and r.path == f"/v1/{resource.plural}/{{id}}"
    }
    endpoints: list[Endpoint] = []
    problems: dict[str, str] = dict(table.unrouted)
    for route in table.routes:
        try:
            endpoints.append(compile_endpoint(graphql_schema, route, locations, parse_document))
        except RouteBuildError as error:
            problems[route.key] = str(error)
    for key, why in problems.items():
        logger.warning("no /v1 route for %s: %s", key, why)
    return RestApi(table, tuple(endpoints), problems, graphql_schema)
