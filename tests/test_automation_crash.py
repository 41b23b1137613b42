"""Crash safety of automation runs: two real ``reelhouse worker`` processes execute runs of
``webhook → render → webhook``; the one whose webhook request a receiver is holding is
SIGKILLed, once in the first action and once in the last (after the render committed), and
started again. Every run must still finish exactly once: one job per render action, one
``started`` and one ``succeeded`` event, a webhook resent only after a kill and always with the
same ``webhook-id``, status and timings consistent.

On PostgreSQL + Redis, and on one SQLite file shared by every process (WAL; writers take the
file's write lock in turn), which the embedded default supports for workers on one machine.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select
from sqlmodel import col
from standardwebhooks import Webhook

from app.clock import as_utc
from app.models import AutomationRun, Event, Job, RunStatus, TriggerType
from app.types import Receive, Scope, Send
from resolvers import automations
from tests.events_fixtures import request_body, serve
from tests.process_fixtures import Environment, Workers, environment, socket_owner

pytestmark = pytest.mark.slow

RUNS = 8
WORKERS = 2
DEADLINE_SECONDS = 90
WORKER_SETTINGS = {
    # A request the receiver holds ends with the kill, well within this timeout; the lease
    # leaves a live worker seconds to record what it sent (so only a kill, never a busy
    # machine, makes another worker send it again) and keeps the take-over after a kill short.
    "REELHOUSE_WEBHOOK_TIMEOUT_SECONDS": "2",
    "REELHOUSE_WEBHOOK_CONNECT_TIMEOUT_SECONDS": "1",
    "REELHOUSE_AUTOMATION_RUN_LEASE_SECONDS": "6",
    "REELHOUSE_AUTOMATION_RETRY_SCHEDULE": "[0.1, 0.2, 0.5, 1]",
}


@dataclass
class Receipt:
    webhook_id: str
    headers: dict[str, str]
    body: bytes
    at: float
    answered: bool = False


@dataclass
class HoldingReceiver:
    """Answers 200 with ``{"clip": ...}``, except for one run, the first whose first action
    arrives: the first request of its first and of its last action is kept open until the
    sender goes away."""

    chosen: str | None = None
    receipts: list[Receipt] = field(default_factory=list)
    holding: dict[str, tuple[int, asyncio.Event]] = field(default_factory=dict)

    def _holds(self, webhook_id: str) -> bool:
        run_id, step = webhook_id.rsplit(".", 1)
        if self.chosen is None and step == "0":
            self.chosen = run_id
        return run_id == self.chosen and step in ("0", "2") and webhook_id not in self.holding

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await request_body(receive)
        if body is None:
            return
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        receipt = Receipt(headers["webhook-id"], headers, body, time.monotonic())
        self.receipts.append(receipt)
        if self._holds(receipt.webhook_id):
            gone = asyncio.Event()
            self.holding[receipt.webhook_id] = (scope["client"][1], gone)
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()
            return
        receipt.answered = True
        answer = orjson.dumps({"clip": f"clip-of-{receipt.webhook_id}"})
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": answer})

    async def held(self, step: int, within: float = DEADLINE_SECONDS) -> tuple[str, int]:
        """Waits until the chosen run's request of ``step`` is being held; returns its
        ``webhook-id`` and the sender's TCP port."""
        deadline = time.monotonic() + within
        while (webhook_id := f"{self.chosen}.{step}") not in self.holding:
            assert time.monotonic() < deadline, f"action {step} of the chosen run never arrived"
            await asyncio.sleep(0.02)
        return webhook_id, self.holding[webhook_id][0]


async def _kill_holder(
    receiver: HoldingReceiver, workers: Workers, step: int, kills: list[float]
) -> asyncio.Task[None]:
    """SIGKILL the worker process whose request of action ``step`` the receiver holds; returns
    the task starting it again (two workers keep running, as in production)."""
    webhook_id, port = await receiver.held(step)
    pids = [w.pid for w in workers.members if w.pid is not None]
    owner = socket_owner(port, pids)
    assert owner is not None, f"no worker holds port {port}"
    victim = workers.by_pid(owner)
    await victim.kill()
    # Once it is dead: a request it sent in its last instant can arrive after the signal left.
    kills.append(time.monotonic())
    await asyncio.wait_for(receiver.holding[webhook_id][1].wait(), 10)
    return asyncio.create_task(victim.start())


async def _setup(env: Environment, receiver_url: str) -> tuple[Any, str, str]:
    ctx, project_id, template_id = await env.studio("autocrash")
    saved = await automations.create_automation(
        ctx,
        {
            "project_id": project_id,
            "name": "Chain",
            "trigger": {"type": TriggerType.WEBHOOK},
            "actions": [
                {"type": "webhook", "url": receiver_url, "body": {"run": "{{run.id}}"}},
                {
                    "type": "render",
                    "template_id": template_id,
                    "input": {"clip": "{{actions.0.output.body.clip}}"},
                },
                {
                    "type": "webhook",
                    "url": receiver_url,
                    "body": {"run": "{{run.id}}", "job": "{{actions.1.output.jobId}}"},
                },
            ],
        },
    )
    assert saved.signing_secret is not None
    return ctx, saved.automation.id, saved.signing_secret


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
async def test_killed_workers_finish_every_run_exactly_once(backend: str) -> None:
    receiver = HoldingReceiver()
    kills: list[float] = []
    async with environment(backend) as env, serve(receiver) as base_url:
        ctx, automation_id, secret = await _setup(env, f"{base_url}/hook")
        worker_env = env.worker_env(**WORKER_SETTINGS)
        async with env.workers(WORKERS, worker_env) as workers:
            runs = [
                (await automations.run_automation(ctx, automation_id, {"n": n})).id
                for n in range(RUNS)
            ]
            # In the first action: the receiver holds the request, its sender dies.
            restarts = [await _kill_holder(receiver, workers, 0, kills)]
            # In the last action, after the render action committed its job.
            restarts.append(await _kill_holder(receiver, workers, 2, kills))
            await asyncio.gather(*restarts)
            finished = await _all_finished(env, runs)
            settled = await _settled(env, runs)
            log = workers.logs()
        assert "Traceback" not in log, log[-5000:]

    by_id = {run.id: run for run in finished}
    assert {run.status for run in finished} == {RunStatus.SUCCEEDED}, [
        (r.id, r.status, r.error) for r in finished
    ]
    jobs_per_run, events = settled
    # One job per render action, and it is the one the last action was told about.
    assert jobs_per_run == {run_id: 1 for run_id in runs}
    assert all(events[(run_id, "automation.run.started")] == 1 for run_id in runs)
    assert all(events[(run_id, "automation.run.succeeded")] == 1 for run_id in runs)
    assert not any(verb == "automation.run.failed" for _, verb in events)

    verifier = Webhook(secret)
    answered: dict[str, list[Receipt]] = defaultdict(list)
    receipts: dict[str, list[Receipt]] = defaultdict(list)
    for receipt in receiver.receipts:
        body = verifier.verify(receipt.body, receipt.headers)
        run_id, index = receipt.webhook_id.rsplit(".", 1)
        assert body["run"] == run_id
        if index == "2":
            assert body["job"] == by_id[run_id].steps[1]["output"]["jobId"]
        receipts[receipt.webhook_id].append(receipt)
        if receipt.answered:
            answered[receipt.webhook_id].append(receipt)
    assert set(answered) == {f"{r}.{s}" for r in runs for s in (0, 2)}
    # A request answered just before a kill, whose success its sender had no time to record,
    # is sent again: only ever across a kill, with the same webhook-id.
    for sent in receipts.values():
        for earlier, later in itertools.pairwise(sent):
            assert any(earlier.at < kill < later.at for kill in kills), (
                f"{earlier.webhook_id} resent without a kill",
                kills,
                [(r.at, r.answered) for r in sent],
                log[-4000:],
            )

    assert receiver.chosen is not None
    chosen = receiver.chosen
    held = by_id[chosen]
    assert [s["attempts"] for s in held.steps] == [2, 1, 2]
    assert len(receipts[f"{chosen}.0"]) == len(receipts[f"{chosen}.2"]) == 2
    assert len(answered[f"{chosen}.0"]) == len(answered[f"{chosen}.2"]) == 1
    assert held.steps[1]["output"]["jobId"] is not None
    for run in finished:
        assert run.error is None and run.lease_token is None
        assert run.started_at is not None and run.finished_at is not None
        times = [as_utc(run.started_at)]
        for outcome in run.steps:
            assert outcome["status"] == "succeeded" and outcome["attempts"] >= 1
            times += [_parse(outcome["startedAt"]), _parse(outcome["finishedAt"])]
        times.append(as_utc(run.finished_at))
        assert times == sorted(times), (run.id, times)
        sends = [len(receipts[f"{run.id}.{s}"]) for s in (0, 2)]
        assert all(run.steps[s]["attempts"] >= n for s, n in zip((0, 2), sends, strict=True))


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def _all_finished(env: Environment, run_ids: list[str]) -> list[AutomationRun]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        async with env.services.db.reading() as session:
            rows = list(
                (
                    await session.execute(
                        select(AutomationRun).where(col(AutomationRun.id).in_(run_ids))
                    )
                ).scalars()
            )
        if all(row.status.finished for row in rows):
            return rows
        assert time.monotonic() < deadline, [(r.id, r.status, r.current_step) for r in rows]
        await asyncio.sleep(0.1)


async def _settled(
    env: Environment, run_ids: list[str]
) -> tuple[dict[str, int], Counter[tuple[str, str]]]:
    """Jobs per run and events per (run, type), read again after a lease has passed with the
    workers still running, so that a run executed a second time would show."""
    await asyncio.sleep(float(WORKER_SETTINGS["REELHOUSE_AUTOMATION_RUN_LEASE_SECONDS"]) + 1)
    async with env.services.db.reading() as session:
        jobs = (await session.execute(select(Job))).scalars().all()
        counted = (
            await session.execute(
                select(col(Event.aggregate_id), col(Event.type), func.count())
                .where(col(Event.aggregate_id).in_(run_ids))
                .group_by(col(Event.aggregate_id), col(Event.type))
            )
        ).all()
    per_run = Counter(str(job.meta["automationRunId"]) for job in jobs)
    return dict(per_run), Counter({(a, t): n for a, t, n in counted})
