"""The render action's job submission, for the automation runner (``app.automations``):
the same rules as ``submitJob`` (scope, project limits, template variables, quota), as the key
that saved the automation, with the action recorded in the job's own transaction."""

from __future__ import annotations

from app.auth.principal import Principal
from app.auth.scopes import Scope
from app.automations.actions import ActionFailed, RenderRequest, RenderSubmitter, Settle
from app.database import Database
from app.errors import ApiError
from app.models import Job, JobKind
from app.settings import Settings
from resolvers.context import Context
from resolvers.jobs import queue_job
from resolvers.permissions import require_scope
from resolvers.unit_of_work import unit_of_work
from resolvers.validation import InputErrors


def render_submitter(db: Database, settings: Settings) -> RenderSubmitter:
    async def submit(owner: Principal, request: RenderRequest, settle: Settle) -> Job:
        ctx = Context(db=db, settings=settings, principal=owner)
        values = {
            "project_id": request.project_id,
            "kind": JobKind.RENDER,
            "template_id": request.template_id,
            "variables": request.variables,
            "input": request.input,
            "meta": request.metadata,
            "automation_run_id": request.run_id,
        }
        try:
            require_scope(ctx, Scope.JOBS_WRITE)
            async with unit_of_work(ctx) as uow:
                job = await queue_job(uow, values)
                await uow.session.flush()
                await settle(uow.session, job)
        except InputErrors as errors:
            raise ActionFailed(
                "; ".join(f"{'.'.join(e.field[1:])}: {e.message}" for e in errors.errors)
            ) from None
        except ApiError as error:
            raise ActionFailed(error.message) from None
        return job

    return submit
