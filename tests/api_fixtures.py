"""Fixtures for transport-parametrised suites (registered in ``tests/conftest.py``).

Every test using ``api`` runs once per transport (GraphQL, REST) on each backend.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from app.auth.scopes import Scope
from tests.api_client import TRANSPORTS, Api

if TYPE_CHECKING:
    from tests.conftest import Tenant

MakeApi = Callable[..., Awaitable[Api]]


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest_asyncio.fixture(loop_scope="session")
async def api(tenant: Tenant, transport: str) -> Api:
    return Api(tenant.http, tenant.token, transport, tenant)


@pytest_asyncio.fixture(loop_scope="session")
async def make_api(make_tenant: Any, transport: str) -> MakeApi:
    """Another organisation, called over the same transport."""

    async def make(scopes: tuple[Scope, ...] = (Scope.ADMIN,)) -> Api:
        tenant: Tenant = await make_tenant(scopes)
        return Api(tenant.http, tenant.token, transport, tenant)

    return make
