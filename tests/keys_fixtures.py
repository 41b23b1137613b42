"""Helpers shared by the API key tests: over either transport (``new_key``, ``probe_with``),
and the GraphQL documents the propagation, authentication and CLI suites use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import col

from app.database import Database
from app.models import ApiKey, Event
from tests.api_client import Api, Outcome
from tests.conftest import GraphQLResult, Tenant

KEY_FIELDS = """
  id name description prefix last4 scopes projectIds allowedCidrs readRateLimit
  writeRateLimit expiresAt revokedAt lastUsedAt testMode status version createdAt updatedAt
"""

CREATE_KEY = f"""
mutation($input: CreateApiKeyInput!) {{
  createApiKey(input: $input) {{
    apiKey {{ {KEY_FIELDS} }}
    secret
    userErrors {{ field code message }}
  }}
}}"""

UPDATE_KEY = f"""
mutation($input: UpdateApiKeyInput!) {{
  updateApiKey(input: $input) {{
    apiKey {{ {KEY_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""

ROTATE_KEY = f"""
mutation($input: RotateApiKeyInput!) {{
  rotateApiKey(input: $input) {{
    apiKey {{ {KEY_FIELDS} }}
    secret
    previousSecretExpiresAt
    userErrors {{ field code message }}
  }}
}}"""

REVOKE_KEY = f"""
mutation($id: ID!) {{
  revokeApiKey(input: {{id: $id}}) {{
    apiKey {{ {KEY_FIELDS} }}
    userErrors {{ field code message }}
  }}
}}"""

KEY = f"query($id: ID!) {{ apiKey(id: $id) {{ {KEY_FIELDS} }} }}"

KEYS = f"""
query($first: Int, $after: String, $filter: ApiKeyFilter) {{
  apiKeys(first: $first, after: $after, filter: $filter) {{
    nodes {{ {KEY_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""

PROBE = "{ projects(first: 1) { nodes { id } } }"
"""A cheap authenticated request needing `projects:read`."""


async def create_key(tenant: Tenant, token: str | None = None, **input: Any) -> dict[str, Any]:
    """Create through the API; returns the payload (``apiKey``, ``secret``) and checks success."""
    input.setdefault("name", "test key")
    input.setdefault("scopes", ["read_only"])
    result = await tenant.gql(CREATE_KEY, {"input": input}, token=token)
    payload: dict[str, Any] = result.ok()["createApiKey"]
    assert payload["userErrors"] == [], payload
    return payload


async def new_key(api: Api, token: str | None = None, **fields: Any) -> tuple[dict[str, Any], str]:
    """Create through the API (REST names); returns the key and its secret, shown once."""
    fields.setdefault("name", "test key")
    fields.setdefault("scopes", ["read_only"])
    created: dict[str, Any] = (await api.create("api_keys", fields, token=token)).ok()
    secret: str = created.pop("secret")
    return created, secret


async def probe_with(api: Api, token: str) -> Outcome:
    """A cheap authenticated request needing `projects:read`, over ``api``'s transport."""
    return await api.list("projects", limit=1, token=token)


def user_errors(result: GraphQLResult, field: str) -> list[tuple[list[str], str]]:
    payload = result.ok()[field]
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def probe(tenant: Tenant, token: str) -> GraphQLResult:
    return await tenant.gql(PROBE, token=token)


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def events_of(services: Any, key_id: str) -> list[Event]:
    async with services.db.reading() as session:
        rows = await session.execute(
            select(Event).where(col(Event.aggregate_id) == key_id).order_by(col(Event.sequence))
        )
        return list(rows.scalars())


async def set_key_columns(db: Database, key_id: str, **values: Any) -> None:
    """Change a key behind the API's back (no announcement): to set states the API refuses
    to create, such as an expiry in the past."""
    async with db.writing() as session:
        await session.execute(update(ApiKey).where(col(ApiKey.id) == key_id).values(**values))
