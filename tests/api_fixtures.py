"""Fixtures for transport-parametrised suites (registered in ``tests/conftest.py``).

Every test using ``api`` runs once per transport (GraphQL, REST) on each backend, unless it
parametrises ``transport`` itself: ``ONLY_GRAPHQL`` (tests named ``test_graphql_...``) and
``ONLY_REST`` pin a test to what only that transport has, or to a resolver rule that one
transport proves as well as two; ``alternating(...)`` spreads a table of such rules over both,
so each transport's error mapping still meets most of the table's fields.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from app.auth.scopes import Scope
from tests.api_client import TRANSPORTS, Api

if TYPE_CHECKING:
    from tests.conftest import Tenant

MakeApi = Callable[..., Awaitable[Api]]

ONLY_REST = pytest.mark.parametrize("transport", ["rest"])
ONLY_GRAPHQL = pytest.mark.parametrize("transport", ["graphql"])


def alternating(cases: Sequence[Any], ids: Sequence[str] | None = None) -> list[Any]:
    """``cases`` (tuples of parameters) with the transport prepended, taking turns: for
    ``@pytest.mark.parametrize(("transport", *names), alternating(CASES))``."""
    params = []
    for index, case in enumerate(cases):
        transport = TRANSPORTS[index % len(TRANSPORTS)]
        values = case if isinstance(case, tuple) else (case,)
        label = f"{transport}-{ids[index]}" if ids is not None else None
        params.append(pytest.param(transport, *values, id=label))
    return params


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
