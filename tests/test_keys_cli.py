"""`reelhouse keys create|list|rotate|revoke`, against the same store the API uses."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from app.auth import tokens
from app.cli import main
from tests.conftest import Backend, Tenant
from tests.keys_fixtures import KEY, events_of, probe


async def _run(
    backend: Backend, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    """The CLI is another process with its own connections; afterwards the server notices
    its changes as its background task would (Redis message or SQLite poll)."""
    code = await asyncio.to_thread(main, list(argv), backend.settings)
    services = backend.app.services
    if services.key_poller is not None:
        await services.key_poller.poll()
    out, err = capsys.readouterr()
    return code, out, err


def _secret(out: str) -> str:
    match = re.search(r"\(shown once, store it now\): (\S+)", out)
    assert match, out
    return match.group(1)


async def test_create_list_rotate_revoke(
    tenant: Tenant, backend: Backend, services: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = await _run(
        backend,
        capsys,
        "keys",
        "create",
        "--org",
        tenant.slug,
        "--name",
        "farm",
        "--description",
        "render farm",
        "--scopes",
        "projects:read,jobs:execute",
        "--cidr",
        "127.0.0.0/8",
        "--cidr",
        "2001:db8::/32",
        "--test-mode",
    )
    assert (code, err) == (0, "")
    secret = _secret(out)
    assert secret.startswith("rh_test_") and tokens.is_well_formed(secret)
    key_id = re.search(r"key id: (key_\w+)", out).group(1)  # type: ignore[union-attr]
    assert "allowed from: 127.0.0.0/8 2001:db8::/32" in out
    key = (await tenant.gql(KEY, {"id": key_id})).ok()["apiKey"]
    assert key["description"] == "render farm" and key["testMode"] is True
    assert key["scopes"] == ["jobs:execute", "projects:read"]
    assert (await probe(tenant, secret)).status == 200

    await _run(backend, capsys, "keys", "create", "--org", tenant.slug, "--scopes", "full_access")
    code, out, _ = await _run(backend, capsys, "keys", "list", "--org", tenant.slug)
    assert code == 0
    assert any("full_access" in line.split() for line in out.splitlines()[1:]), out
    header, *lines = out.strip().splitlines()
    assert header.split()[:4] == ["ID", "NAME", "KEY", "SCOPES"]
    row = next(line for line in lines if line.startswith(key_id))
    assert f"rh_test_…{secret[-4:]}" in row and "jobs:execute,projects:read" in row
    assert row.split()[-1] == "active" and secret not in out

    code, out, _ = await _run(backend, capsys, "keys", "rotate", key_id, "--grace-period", "0")
    assert code == 0 and "previous secret valid until" in out
    rotated = _secret(out)
    assert (await probe(tenant, secret)).codes == ["API_KEY_EXPIRED"]
    assert (await probe(tenant, rotated)).status == 200

    code, out, _ = await _run(backend, capsys, "keys", "revoke", key_id)
    assert code == 0 and f"{key_id} (farm) revoked at" in out
    assert (await probe(tenant, rotated)).codes == ["API_KEY_REVOKED"]
    code, out, _ = await _run(
        backend, capsys, "keys", "list", "--org", tenant.slug, "--status", "revoked"
    )
    assert [line.split()[0] for line in out.strip().splitlines()[1:]] == [key_id]
    assert [e.type for e in await events_of(services, key_id)] == [
        "api_key.created",
        "api_key.rotated",
        "api_key.revoked",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["keys", "create", "--org", "{org}", "--scopes", "root"], "scopes: Unknown scope"),
        (
            ["keys", "create", "--org", "{org}", "--scopes", "read_only", "--cidr", "10.0.0.1/8"],
            "allowedCidrs: '10.0.0.1/8' has host bits set",
        ),
        (["keys", "create", "--org", "no-such-org", "--scopes", "read_only"], "no organisation"),
        (["keys", "list", "--org", "no-such-org"], "no organisation"),
        (["keys", "rotate", "key_01ARZ3NDEKTSV4RRFFQ69G5FAV"], "no API key"),
        (["keys", "revoke", "nope"], "no API key"),
        (["keys", "rotate", "{key}", "--grace-period", "604801"], "gracePeriodSeconds"),
    ],
)
async def test_errors_are_printed_clearly(
    tenant: Tenant,
    backend: Backend,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    key_id = (await tenant.gql("{ apiKeys { nodes { id } } }")).ok()["apiKeys"]["nodes"][0]["id"]
    argv = [a.replace("{org}", tenant.slug).replace("{key}", key_id) for a in argv]
    code, out, err = await _run(backend, capsys, *argv)
    assert code != 0 and message in err and "Traceback" not in err
    assert "secret" not in out
