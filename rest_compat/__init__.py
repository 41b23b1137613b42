"""The ``/v1`` REST compatibility layer, generated from the GraphQL schema.

Every route executes a GraphQL document built and validated at start-up through the same
executor as ``/graphql``, so data, permissions, validation and errors are GraphQL's.
"""

from __future__ import annotations

from typing import Any

from strawberry.schema.base import BaseSchema

from app.http.graphql import Executor
from rest_compat.api import RestApi, build_rest_api
from rest_compat.app import OPENAPI_PATH, RestApp
from rest_compat.openapi import build_openapi, openapi_json

__all__ = [
    "OPENAPI_PATH",
    "RestApi",
    "RestApp",
    "build_rest_api",
    "create_rest_app",
    "public_documents",
]


def create_rest_app(
    schema: BaseSchema, executor: Executor, *, max_variables_bytes: int | None = None
) -> RestApp:
    api = build_rest_api(schema)
    return RestApp(api, executor, openapi_json(api), max_variables_bytes=max_variables_bytes)


def public_documents(schema: BaseSchema) -> tuple[str, dict[str, Any]]:
    """The GraphQL SDL and the OpenAPI document partners build against (and snapshots hold)."""
    return schema.as_str(), build_openapi(build_rest_api(schema))
