"""The rules behind deliveries, without a network: retry decisions, type patterns, signatures
and the SSRF guard (including a DNS answer that points inside)."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook

from app.events.patterns import matches, matches_any, pattern_problem
from app.events.policy import Outcome, Verdict, classify, decide, parse_retry_after
from app.events.signing import new_secret, signature_headers
from app.events.transport import post
from app.events.urls import UnsafeUrl, resolve_target, url_problem
from app.settings import Settings
from resolvers import webhooks as logic
from resolvers.context import Context
from resolvers.validation import InputErrors
from tests.conftest import Tenant
from tests.events_fixtures import running_receiver

pytest_plugins = ["tests.events_fixtures"]


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict.SUCCEEDED),
        (204, Verdict.SUCCEEDED),
        (301, Verdict.RETRY),
        (400, Verdict.DEAD),
        (401, Verdict.DEAD),
        (404, Verdict.DEAD),
        (408, Verdict.RETRY),
        (410, Verdict.GONE),
        (429, Verdict.RETRY),
        (500, Verdict.RETRY),
        (503, Verdict.RETRY),
        (None, Verdict.RETRY),
    ],
)
def test_classify(status: int | None, verdict: Verdict) -> None:
    assert classify(Outcome(status, 1)) is verdict


def test_default_schedule_spans_a_day_over_ten_attempts() -> None:
    schedule = Settings().webhook_retry_schedule
    assert len(schedule) + 1 == 10
    assert sum(schedule) * (1 - Settings().webhook_retry_jitter) >= 24 * 3600
    assert schedule == sorted(schedule)


def test_decide_backs_off_with_jitter_and_dead_letters_at_the_end() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    failure = Outcome(500, 3)
    delays = set()
    for _ in range(20):
        decision = decide(failure, attempt_in_round=2, schedule=[5, 60], jitter=0.2, now=now)
        assert decision.verdict is Verdict.RETRY and decision.next_attempt_at is not None
        delay = (decision.next_attempt_at - now).total_seconds()
        assert 48 <= delay <= 72
        delays.add(delay)
    assert len(delays) > 1
    last = decide(failure, attempt_in_round=3, schedule=[5, 60], jitter=0.2, now=now)
    assert last.verdict is Verdict.DEAD and last.next_attempt_at is None
    test_send = decide(failure, attempt_in_round=1, schedule=[5], jitter=0, retries=False)
    assert test_send.verdict is Verdict.DEAD


def test_retry_after_wins_when_longer() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    slow = Outcome(429, 3, retry_after=120)
    decision = decide(slow, attempt_in_round=1, schedule=[5], jitter=0, now=now)
    assert decision.next_attempt_at == now + timedelta(seconds=120)
    huge = Outcome(503, 3, retry_after=10**9)
    capped = decide(huge, attempt_in_round=1, schedule=[5], jitter=0, now=now)
    assert capped.next_attempt_at == now + timedelta(days=1)
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Wed, 01 Jan 2030 00:01:00 GMT", now) == 60
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("pattern", "event_type", "expected"),
    [
        ("*", "project.created", True),
        ("job.*", "job.completed", True),
        ("job.*", "jobs.completed", False),
        ("job.*", "job", False),
        ("*.created", "asset.created", True),
        ("*.created", "webhook_endpoint.created", True),
        ("asset.approved", "asset.approved", True),
        ("asset.approved", "asset.rejected", False),
    ],
)
def test_patterns(pattern: str, event_type: str, expected: bool) -> None:
    assert pattern_problem(pattern) is None
    assert matches(pattern, event_type) is expected


def test_bad_patterns_and_empty_filter() -> None:
    for bad in ("", "Job.*", "job..x", "job.**", "job.%", "a" * 65, "job .x"):
        assert pattern_problem(bad) is not None, bad
    assert matches_any(None, "x.y") and matches_any([], "x.y")


def test_signatures_verify_with_standard_webhooks() -> None:
    secret = new_secret()
    body = b'{"hello":"world"}'
    now = int(datetime.now(UTC).timestamp())
    headers = signature_headers([secret], "evt_1", now, body)
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == {"hello": "world"}


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "https://127.0.0.1/x",
        "https://10.1.2.3/x",
        "https://192.168.0.1/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://0.0.0.0/x",
        "https://localhost/x",
        "https://api.localhost/x",
        "https://intranet/x",
        "https://100.64.0.1/x",
        # IPv6 forms embedding a private IPv4 (ipaddress calls most of them global).
        "https://[::127.0.0.1]/x",
        "https://[::a00:1]/x",
        "https://[64:ff9b::7f00:1]/x",
        "https://[64:ff9b::a9fe:a9fe]/x",
        "https://[64:ff9b:1::c0a8:1]/x",
        "https://[2002:7f00:1::1]/x",
        "https://[2002:a9fe:a9fe::]/x",
        "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x",
        "https://[::ffff:10.0.0.1]/x",
        # Legacy IPv4 spellings resolvers accept.
        "https://127.1/x",
        "https://0x7f.0.0.1/x",
        "https://0177.0.0.1/x",
        "https://10.1/x",
        "https://127.0.0.1./x",
    ],
)
def test_private_urls_are_refused(url: str) -> None:
    assert url_problem(url, allow_private=False) is not None
    assert url_problem("https://hooks.example.com/x", allow_private=False) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://[2606:4700:4700::1111]/x",
        "https://[64:ff9b::808:808]/x",
        "https://[2002:808:808::1]/x",
        "https://8.8.8.8/x",
        "https://bad.cafe/x",
    ],
)
def test_public_forms_are_accepted(url: str) -> None:
    assert url_problem(url, allow_private=False) is None


@pytest.mark.parametrize(
    "answer", ["::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::1"]
)
async def test_delivery_refuses_names_resolving_to_embedded_private_addresses(
    monkeypatch: pytest.MonkeyPatch, answer: str
) -> None:
    loop = asyncio.get_running_loop()

    async def aaaa(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (answer, port, 0, 0))]

    monkeypatch.setattr(loop, "getaddrinfo", aaaa)
    with pytest.raises(UnsafeUrl, match="private"):
        await resolve_target("https://hooks.attacker.example/x", allow_private=False)


async def test_literals_are_checked_again_at_delivery(tenant: Tenant, services: Any) -> None:
    """Endpoints saved while private URLs were allowed, sent to by a server that refuses them:
    each literal (NAT64 and IPv4-compatible forms of 127.0.0.1) is refused, nothing is sent."""
    principal = await services.keys.authenticate(tenant.token)
    lenient = Context(db=services.db, settings=services.settings, principal=principal)
    strict = services.settings.model_copy(update={"webhooks_allow_private_urls": False})
    async with running_receiver() as receiver:
        port = receiver.base_url.rsplit(":", 1)[1]
        for host in ("[64:ff9b::7f00:1]", "[::127.0.0.1]", "[::ffff:7f00:1]"):
            endpoint, _ = await logic.create_endpoint(
                lenient, {"url": f"https://{host}:{port}{receiver.path}"}, lambda *_: []
            )
            ctx = Context(db=services.db, settings=strict, principal=principal)
            _, attempt = await logic.send_test(ctx, endpoint.id)
            assert attempt.status_code is None
            assert (attempt.error or "").startswith("refused: URL points to a private"), host
        assert receiver.requests == []


async def test_refused_when_saved_without_the_setting(tenant: Tenant, services: Any) -> None:
    principal = await services.keys.authenticate(tenant.token)
    strict = services.settings.model_copy(update={"webhooks_allow_private_urls": False})
    ctx = Context(db=services.db, settings=strict, principal=principal)
    with pytest.raises(InputErrors) as raised:
        await logic.create_endpoint(ctx, {"url": "http://127.0.0.1:9/x"}, lambda *_: [])
    [error] = raised.value.errors
    assert error.field == ("input", "url") and error.code == "INVALID"
    endpoint, _ = await logic.create_endpoint(
        ctx, {"url": "https://hooks.example.com/x"}, lambda *_: []
    )
    assert endpoint.url == "https://hooks.example.com/x"


async def test_delivery_refuses_a_name_resolving_to_a_private_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS is an edge we do not own: answer like a rebinding attacker would."""
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def rebinding(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "hooks.attacker.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        if host == "public.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]
        return await real(host, port, *args, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", rebinding)
    with pytest.raises(UnsafeUrl, match="private"):
        await resolve_target("https://hooks.attacker.example/x", allow_private=False)
    target = await resolve_target("https://public.example:8443/p?q=1", allow_private=False)
    assert target.url == "https://93.184.215.14:8443/p?q=1"
    assert target.host_header == "public.example:8443" and target.sni_hostname == "public.example"

    async with running_receiver() as receiver, httpx.AsyncClient() as client:
        outcome = await post(
            client,
            "https://hooks.attacker.example/x",
            b"{}",
            {},
            allow_private=False,
            total_seconds=5,
        )
        assert outcome.status_code is None and "refused" in (outcome.error or "")
        assert receiver.requests == []
