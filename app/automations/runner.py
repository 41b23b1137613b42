"""Executing automation runs: any number of workers, each run by one of them at a time.

A worker claims due runs in one short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
the write lock on SQLite), setting a lease and a fresh fencing token; every later write about
the run checks the token, so a worker that stalled past its lease can no longer record
anything. After a crash the lease ends and another worker continues from the first action not
recorded as finished:

- a render action's job is queued in the same transaction that records the action as done,
  so its job is submitted exactly once, whatever crashes;
- a webhook action records each attempt before sending; one interrupted by a crash is sent
  again with the same ``webhook-id`` (``<run id>.<action index>``), the Standard Webhooks
  idempotency key receivers deduplicate on.

A run whose render action waits for its job is parked (``waiting``) and claimed again once the
job finishes or the wait times out.

Every run acts with the current rights of the credential that last saved the automation
(``app.auth.owners``); once that credential no longer stands, or can no longer see the
automation's project, its runs fail instead of acting.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.auth.owners import current_owner
from app.auth.principal import Principal
from app.automations.actions import ActionFailed, RenderRequest
from app.automations.references import RunData, UnresolvedReference, resolve
from app.background import BackgroundLoop, WorkerServices
from app.clock import isoformat, utcnow
from app.events.bus import OUTBOX, RUNS
from app.events.policy import Verdict, classify, retry_delay
from app.events.signing import signature_headers
from app.events.transport import new_client, post
from app.json_bounds import json_problem
from app.models import Automation, AutomationRun, Job, JobStatus, RunStatus
from app.outbox import record_event

logger = logging.getLogger("reelhouse.automations")

BATCH = 4
"""Runs one worker executes at once."""
ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.WAITING)
FINISHED_JOBS = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)
OWNER_GONE = (
    "The credential that saved the automation no longer stands or lost its project (a key "
    "revoked or expired, an OAuth client revoked, a user disabled); save it again."
)


class LeaseLost(Exception):
    """Another worker holds the run now; this one must record nothing more."""


@dataclass(frozen=True, slots=True)
class Held:
    run_id: str
    token: str


def claimable(now: datetime, limit: int) -> Any:
    run = AutomationRun
    job_finished = exists().where(
        col(Job.id) == col(run.waiting_job_id), col(Job.status).in_(FINISHED_JOBS)
    )
    return (
        select(run)
        .where(
            col(run.status).in_(ACTIVE),
            or_(col(run.lease_until).is_(None), col(run.lease_until) < now),
            or_(
                col(run.next_attempt_at) <= now,
                and_(col(run.status) == RunStatus.WAITING, job_finished),
            ),
        )
        .order_by(col(run.next_attempt_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def _job_output(job: Job) -> dict[str, Any]:
    return {"jobId": job.id, "status": job.status.value, "outputAssetId": job.output_asset_id}


def _body_of(excerpt: str | None) -> Any:
    """The receiver's answer as JSON when it is JSON the run can store and send back (see
    ``app.json_bounds``), else as the text it was."""
    if not excerpt:
        return None
    try:
        parsed = orjson.loads(excerpt)
    except orjson.JSONDecodeError:
        return excerpt
    return excerpt if json_problem(parsed) is not None else parsed


class AutomationRunner(BackgroundLoop):
    name = "automation-runs"
    signal = RUNS

    def __init__(self, services: WorkerServices) -> None:
        super().__init__(services)
        self.client = new_client(self.settings)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def run_once(self) -> bool:
        held = await self.claim(BATCH)
        if not held:
            return False
        await asyncio.gather(*(self._execute_logged(h) for h in held))
        return True

    def _lease(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.settings.automation_run_lease_seconds)

    async def claim(self, limit: int) -> list[Held]:
        now = utcnow()
        held: list[Held] = []
        started = False
        async with self.db.writing() as session:
            for run in (await session.execute(claimable(now, limit))).scalars().all():
                token = secrets.token_hex(12)
                run.lease_token = token
                run.lease_until = self._lease(now)
                if run.status is RunStatus.QUEUED:
                    run.status = RunStatus.RUNNING
                    run.started_at = now
                    run.touch()
                    record_event(session, run, "started")
                    started = True
                elif run.status is RunStatus.WAITING:
                    run.status = RunStatus.RUNNING
                session.add(run)
                held.append(Held(run.id, token))
        if started:
            self.db.committed(OUTBOX)
        return held

    async def _execute_logged(self, held: Held) -> None:
        try:
            await self.execute(held)
        except LeaseLost:
            logger.warning("lost the lease on %s; another worker continues it", held.run_id)
        except Exception:
            logger.exception("executing %s failed; it is retried after its lease", held.run_id)

    async def _update(
        self, held: Held, change: Callable[[AutomationRun], str | None]
    ) -> AutomationRun:
        """Apply ``change`` to the run if this worker still holds it, renewing the lease; a
        verb it returns is recorded as an event (``automation.run.<verb>``)."""
        async with self.db.writing() as session:
            run = await self._locked(session, held)
            verb = change(run)
            run.lease_until = self._lease(utcnow()) if run.lease_token else None
            if verb is not None:
                run.touch()
                record_event(session, run, verb)
            session.add(run)
        if verb is not None:
            self.db.committed(OUTBOX)
        return run

    async def _locked(self, session: AsyncSession, held: Held) -> AutomationRun:
        run = await session.get(
            AutomationRun,
            held.run_id,
            with_for_update=self.db.is_postgres,
            populate_existing=True,
        )
        if run is None or run.lease_token != held.token:
            raise LeaseLost(held.run_id)
        return run

    async def execute(self, held: Held) -> None:
        async with self.db.reading() as session:
            run = await session.get(AutomationRun, held.run_id)
            if run is None or run.lease_token != held.token:
                raise LeaseLost(held.run_id)
            automation = await session.get(Automation, run.automation_id)
        if automation is None or not automation.enabled:
            await self._finish(held, "The automation was disabled or deleted before it ran.")
            return
        owner = await current_owner(self.db, automation)
        if (
            owner is None
            or owner.org_id != automation.org_id
            or not owner.may_see_project(automation.project_id)
        ):
            await self._finish(held, OWNER_GONE)
            return
        while run.current_step < len(automation.actions):
            step = run.current_step
            action = automation.actions[step]
            try:
                if action["type"] == "render":
                    run = await self._render(held, run, automation, owner, step)
                else:
                    run = await self._webhook(held, run, automation, step)
            except (ActionFailed, UnresolvedReference) as error:
                await self._finish(held, f"Action {step} ({action['type']}) failed: {error}")
                return
            if run.lease_token is None or run.current_step == step:
                return  # parked: waiting for a job, or a webhook retry later
        await self._finish(held, None)

    def _data(self, run: AutomationRun, automation: Automation) -> RunData:
        return RunData(
            trigger=run.trigger,
            outputs=[s.get("output") for s in run.steps],
            automation={
                "id": automation.id,
                "name": automation.name,
                "projectId": automation.project_id,
            },
            run={"id": run.id},
        )

    async def _finish(self, held: Held, error: str | None) -> None:
        def finish(run: AutomationRun) -> str:
            now = utcnow()
            run.status = RunStatus.FAILED if error else RunStatus.SUCCEEDED
            run.error = error[:5000] if error else None
            run.finished_at = now
            run.lease_token = None
            run.waiting_job_id = None
            if error and run.current_step < len(run.steps):
                steps = copy.deepcopy(run.steps)
                current = steps[run.current_step]
                if current.get("status") != "succeeded":
                    current.update(status="failed", error=error[:2000], finishedAt=isoformat(now))
                run.steps = steps
            return run.status.value

        await self._update(held, finish)

    @staticmethod
    def _step_done(run: AutomationRun, step: int, output: Any) -> None:
        steps = copy.deepcopy(run.steps)
        steps[step].update(status="succeeded", output=output, finishedAt=isoformat(utcnow()))
        steps[step].pop("error", None)
        run.steps = steps
        run.current_step = step + 1
        run.waiting_job_id = None

    async def _render(
        self,
        held: Held,
        run: AutomationRun,
        automation: Automation,
        owner: Principal,
        step: int,
    ) -> AutomationRun:
        action = automation.actions[step]
        if run.waiting_job_id is not None:
            return await self._after_wait(held, run, step)
        submit = self.services.submit_render
        if submit is None:
            raise ActionFailed("this worker cannot submit jobs")
        params = resolve(
            {k: action.get(k) for k in ("templateId", "variables", "input")},
            self._data(run, automation),
        )
        request = RenderRequest(
            project_id=automation.project_id,
            template_id=params.get("templateId"),
            variables=params.get("variables") or {},
            input=params.get("input") or {},
            metadata={"automationId": automation.id, "automationRunId": run.id, "action": step},
            run_id=run.id,
        )
        wait = bool(action.get("waitForJob"))
        timeout = self.settings.automation_wait_seconds
        stored: list[AutomationRun] = []

        async def settle(session: AsyncSession, job: Job) -> None:
            locked = await self._locked(session, held)
            self._mark_started(locked, step)
            if wait:
                steps = copy.deepcopy(locked.steps)
                steps[step].update(status="waiting", output=_job_output(job))
                locked.steps = steps
                locked.status = RunStatus.WAITING
                locked.waiting_job_id = job.id
                locked.next_attempt_at = utcnow() + timedelta(seconds=timeout)
                locked.lease_token = None
                locked.lease_until = None
            else:
                self._step_done(locked, step, _job_output(job))
                locked.lease_until = self._lease(utcnow())
            session.add(locked)
            stored.append(locked)

        await submit(owner, request, settle)
        if wait:
            self.db.committed(RUNS)
        return stored[0]

    async def _after_wait(self, held: Held, run: AutomationRun, step: int) -> AutomationRun:
        async with self.db.reading() as session:
            job = await session.get(Job, run.waiting_job_id)
        if job is None:
            raise ActionFailed("its job no longer exists")
        if job.status is JobStatus.SUCCEEDED:
            return await self._update(held, lambda r: self._step_done(r, step, _job_output(job)))
        if job.status in FINISHED_JOBS:
            raise ActionFailed(f"job {job.id} {job.status.value}: {job.error or 'no reason given'}")
        raise ActionFailed(
            f"job {job.id} did not finish within {self.settings.automation_wait_seconds:g} s"
        )

    @staticmethod
    def _mark_started(run: AutomationRun, step: int) -> None:
        steps = copy.deepcopy(run.steps)
        steps[step]["attempts"] = int(steps[step].get("attempts", 0)) + 1
        steps[step].setdefault("startedAt", isoformat(utcnow()))
        steps[step]["status"] = "running"
        run.steps = steps

    async def _webhook(
        self, held: Held, run: AutomationRun, automation: Automation, step: int
    ) -> AutomationRun:
        action = automation.actions[step]
        data = self._data(run, automation)
        url = resolve(action["url"], data)
        body = resolve(action.get("body"), data) if action.get("body") is not None else None
        if body is None:
            body = {
                "automationId": automation.id,
                "runId": run.id,
                "trigger": run.trigger,
                "actions": [{"output": output} for output in data.outputs],
            }
        if not isinstance(url, str):
            raise ActionFailed("`url` does not resolve to text")
        signing_secret = automation.signing_secret
        if signing_secret is None:
            raise ActionFailed(
                "the automation's signing secret cannot be decrypted: the key that sealed it is "
                "missing from REELHOUSE_SECRET_KEY"
            )
        run = await self._update(held, lambda r: self._mark_started(r, step))
        attempts = int(run.steps[step]["attempts"])
        payload = orjson.dumps(body)
        now = utcnow()
        headers = {
            **{str(k): str(v) for k, v in (action.get("headers") or {}).items()},
            **signature_headers(
                [signing_secret],
                f"{run.id}.{step}",
                int(now.timestamp()),
                payload,
            ),
        }
        outcome = await post(
            self.client,
            url,
            payload,
            headers,
            allow_private=self.settings.webhooks_allow_private_urls,
            total_seconds=self.settings.webhook_timeout_seconds,
        )
        verdict = classify(outcome)
        if verdict is Verdict.SUCCEEDED:
            output = {"statusCode": outcome.status_code, "body": _body_of(outcome.excerpt)}
            return await self._update(held, lambda r: self._step_done(r, step, output))
        reason = (
            outcome.error
            if outcome.status_code is None
            else f"the receiver answered {outcome.status_code}"
        )
        delay = (
            retry_delay(self.settings.automation_retry_schedule, attempts - 1, 0.2)
            if verdict is Verdict.RETRY
            else None
        )
        if delay is None:
            raise ActionFailed(f"{reason} (attempt {attempts})")

        def later(r: AutomationRun) -> None:
            steps = copy.deepcopy(r.steps)
            steps[step]["error"] = f"{reason} (attempt {attempts}); retrying"
            r.steps = steps
            r.next_attempt_at = utcnow() + timedelta(seconds=delay)
            r.lease_token = None

        return await self._update(held, later)
