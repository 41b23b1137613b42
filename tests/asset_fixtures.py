"""Helpers for the asset tests: GraphQL documents, creating projects and assets, reading events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.models import ApiKey, Event
from tests.conftest import Tenant

ASSET_FIELDS = """
  id projectId name type mimeType sizeBytes sha256 url tags metadata status
  reviewStatus reviewComment reviewedAt reviewedBy version createdAt updatedAt
"""

CREATE = f"""
mutation($input: CreateAssetInput!) {{
  createAsset(input: $input) {{ asset {{ {ASSET_FIELDS} }} userErrors {{ field code message }} }}
}}"""

UPDATE = f"""
mutation($input: UpdateAssetInput!) {{
  updateAsset(input: $input) {{ asset {{ {ASSET_FIELDS} }} userErrors {{ field code message }} }}
}}"""

DELETE = """
mutation($input: DeleteAssetInput!) {
  deleteAsset(input: $input) { deletedAssetId userErrors { field code message } }
}"""

APPROVE = f"""
mutation($input: ApproveAssetInput!) {{
  approveAsset(input: $input) {{ asset {{ {ASSET_FIELDS} }} userErrors {{ field code message }} }}
}}"""

REJECT = f"""
mutation($input: RejectAssetInput!) {{
  rejectAsset(input: $input) {{ asset {{ {ASSET_FIELDS} }} userErrors {{ field code message }} }}
}}"""

READ = f"query($id: ID!) {{ asset(id: $id) {{ {ASSET_FIELDS} }} }}"

LIST = """
query($projectId: ID, $first: Int, $after: String, $filter: AssetFilter, $orderBy: OrderBy) {
  assets(projectId: $projectId, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    edges { cursor node { id name } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""

SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


async def make_project(tenant: Tenant, slug: str = "assets-home") -> str:
    result = await tenant.gql(
        "mutation($input: CreateProjectInput!) { createProject(input: $input) { "
        "project { id } userErrors { code } } }",
        {"input": {"slug": slug, "name": slug}},
    )
    project_id: str = result.ok()["createProject"]["project"]["id"]
    return project_id


async def make_asset(
    tenant: Tenant, project_id: str, *, token: str | None = None, **fields: Any
) -> dict[str, Any]:
    values = {"projectId": project_id, "name": "Plate", "type": "IMAGE", "mimeType": "image/png"}
    result = await tenant.gql(CREATE, {"input": {**values, **fields}}, token=token)
    payload = result.ok()["createAsset"]
    assert payload["userErrors"] == [], payload
    asset: dict[str, Any] = payload["asset"]
    return asset


async def mutate(
    tenant: Tenant, document: str, input: dict[str, Any], *, token: str | None = None
) -> dict[str, Any]:
    """The payload of a one-mutation document (asserts no top-level errors)."""
    data = (await tenant.gql(document, {"input": input}, token=token)).ok()
    payload: dict[str, Any] = next(iter(data.values()))
    return payload


async def read(tenant: Tenant, asset_id: str, *, token: str | None = None) -> Any:
    return (await tenant.gql(READ, {"id": asset_id}, token=token)).ok()["asset"]


async def list_ids(tenant: Tenant, *, token: str | None = None, **variables: Any) -> list[str]:
    data = (await tenant.gql(LIST, {"first": 100, **variables}, token=token)).ok()
    return [n["id"] for n in data["assets"]["nodes"]]


async def events_of(tenant: Tenant, aggregate_id: str) -> list[tuple[str, int, dict[str, Any]]]:
    """``(type, sequence, data)`` of one aggregate's outbox rows, in sequence order."""
    async with tenant.services.db.reading() as session:
        rows = (
            await session.execute(
                select(Event).where(Event.aggregate_id == aggregate_id).order_by(Event.sequence)
            )
        ).scalars()
        return [(e.type, e.sequence, e.data) for e in rows]


async def admin_key_id(tenant: Tenant) -> str:
    async with tenant.services.db.reading() as session:
        key_id: str = (
            await session.execute(
                select(ApiKey.id).where(ApiKey.org_id == tenant.org_id, ApiKey.name == "admin")
            )
        ).scalar_one()
    return key_id
