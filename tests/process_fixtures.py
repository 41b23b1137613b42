"""Real ``reelhouse worker`` processes for crash tests: started, SIGKILLed and started again,
against a store of their own (PostgreSQL + Redis, or one SQLite file shared by every process).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from app.auth.issuing import issue_key
from app.auth.scopes import Scope
from app.demo import ensure_organization
from app.factory import Services, build_services
from app.migrate import upgrade_async
from app.settings import Settings
from resolvers import projects, templates
from resolvers.context import Context
from tests.backends import SECRET_KEY, postgres_database, redis_namespace

ROOT = Path(__file__).resolve().parent.parent
WORKER_COMMAND = ("-m", "app.cli", "worker")


class Worker:
    """One worker process (``python -m app.cli worker`` unless told otherwise) that can be
    killed and started again; its stderr goes to ``log``."""

    def __init__(
        self, env: dict[str, str], log: Path, command: Sequence[str] = WORKER_COMMAND
    ) -> None:
        self.env = env
        self.log = log
        self.command = tuple(command)
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                *self.command,
                cwd=ROOT,
                env=self.env,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), 30)
        assert b"event worker running" in line, self.log.read_text()[-3000:]

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 10)
            except TimeoutError:
                await self.kill()


@dataclass
class Workers:
    """Worker processes sharing one environment, with their logs in one folder."""

    members: list[Worker]

    async def __aenter__(self) -> Workers:
        await asyncio.gather(*(w.start() for w in self.members))
        return self

    async def __aexit__(self, *_: object) -> None:
        for worker in self.members:
            await worker.stop()

    def by_pid(self, pid: int) -> Worker:
        [worker] = [w for w in self.members if w.pid == pid]
        return worker

    def logs(self) -> str:
        return "\n".join(w.log.read_text() for w in self.members if w.log.exists())


@dataclass
class Environment:
    settings: Settings
    services: Services
    folder: Path

    def worker_env(self, **extra: str) -> dict[str, str]:
        settings = self.settings
        return {
            **os.environ,
            "REELHOUSE_DATABASE_URL": settings.database_url,
            "REELHOUSE_REDIS_URL": settings.redis_url or "",
            "REELHOUSE_REDIS_PREFIX": settings.redis_prefix,
            "REELHOUSE_SECRET_KEY": SECRET_KEY,
            "REELHOUSE_STORAGE_LOCAL_ROOT": str(self.folder / "objects"),
            "REELHOUSE_WEBHOOKS_ALLOW_PRIVATE_URLS": "true",
            "REELHOUSE_EVENTS_POLL_SECONDS": "0.05",
            **extra,
        }

    def workers(
        self, count: int, env: dict[str, str], command: Sequence[str] = WORKER_COMMAND
    ) -> Workers:
        return Workers(
            [Worker(env, self.folder / f"worker-{i}.log", command) for i in range(count)]
        )

    async def admin(self, slug: str) -> Context:
        """A context acting as an admin key of a new organisation ``slug``."""
        org, _ = await ensure_organization(self.services.db, slug, slug)
        async with self.services.db.writing() as session:
            _, token = await issue_key(session, org_id=org.id, name="admin", scopes=[Scope.ADMIN])
        principal = await self.services.keys.authenticate(token)
        return Context(self.services.db, self.settings, principal)

    async def studio(self, slug: str) -> tuple[Context, str, str]:
        """An admin of a new organisation with a project and a render template in it; returns
        the context, the project id and the template id."""
        ctx = await self.admin(slug)
        project = await projects.create_project(ctx, {"slug": slug, "name": slug})
        template = await templates.create_template(
            ctx, {"project_id": project.id, "name": "Grade", "style": {"look": "warm"}}
        )
        return ctx, project.id, template.id


@contextlib.asynccontextmanager
async def environment(backend: str) -> AsyncIterator[Environment]:
    """A migrated store for worker processes: PostgreSQL + Redis, or a SQLite file (WAL) that
    every process opens, as ``reelhouse worker`` processes on one machine would."""
    with tempfile.TemporaryDirectory(prefix="reelhouse-processes-") as folder:
        async with contextlib.AsyncExitStack() as stack:
            store: dict[str, Any] = {
                "database_url": f"sqlite+aiosqlite:///{Path(folder) / 'shared.db'}",
                "redis_url": None,
            }
            if backend == "postgres":
                redis_url, prefix = await stack.enter_async_context(redis_namespace())
                store = {
                    "database_url": await stack.enter_async_context(postgres_database("processes")),
                    "redis_url": redis_url,
                    "redis_prefix": prefix,
                }
            settings = Settings(
                **store,
                environment="test",
                webhooks_allow_private_urls=True,
                storage_local_root=str(Path(folder) / "objects"),
                secret_key=SecretStr(SECRET_KEY),
            )
            await upgrade_async(settings.database_url)
            services = build_services(settings)
            try:
                yield Environment(settings, services, Path(folder))
            finally:
                await services.close()


def socket_owner(local_port: int, pids: Sequence[int]) -> int | None:
    """Which of ``pids`` holds the TCP socket bound to ``local_port`` (Linux ``/proc``): the
    worker process behind a request a receiver holds open."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                    inodes.add(fields[9])
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    link = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if link.startswith("socket:[") and link[8:-1] in inodes:
                        return pid
    return None
