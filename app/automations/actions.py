"""What an action needs from outside ``app/``: submitting a render job is the jobs domain's
business (template, variables, quota, permissions), so the wiring hands the runner a
``RenderSubmitter`` built on the resolvers (``resolvers.automation_actions``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.models import Job

Settle = Callable[[AsyncSession, Job], Awaitable[None]]
"""Called inside the job's transaction to record the action as done; raising rolls the job
back (the runner lost its lease), so a render action submits its job exactly once."""


@dataclass(frozen=True, slots=True)
class RenderRequest:
    project_id: str
    template_id: str | None
    variables: dict[str, Any] = field(default_factory=dict)
    input: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    run_id: str | None = None
    """The run submitting it, recorded on the job (``Job.automation_run_id``)."""


class ActionFailed(Exception):
    """The action cannot succeed (bad input at run time, a permission lost, a 4xx answer)."""


class RenderSubmitter(Protocol):
    async def __call__(self, owner: Principal, request: RenderRequest, settle: Settle) -> Job:
        """Queue the job as ``owner``; raises ``ActionFailed`` with the reason when refused."""
        ...
