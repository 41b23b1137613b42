"""Automations and their runs in the GraphQL contract."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from app.auth.scopes import Scope
from app.automations.inbound import PATH_PREFIX
from app.ids import IdPrefix
from app.models import Automation, AutomationRun
from app.models import RunStatus as RunStatusValue
from app.models import TriggerType as TriggerTypeValue
from app.traffic.cost import FieldCost
from resolvers import automations as logic
from schema.connections import Connection, order_by_input, ordering
from schema.errors import MutationPayload
from schema.fields import mutation_field, query_field
from schema.inputs import changes_of
from schema.models import FromRow, Node
from schema.node import register_node
from schema.scalars import JSON

TriggerType = strawberry.enum(
    TriggerTypeValue,
    name="AutomationTriggerType",
    description="What starts a run. MANUAL only describes runs started by `runAutomation`.",
)
RunStatus = strawberry.enum(
    RunStatusValue,
    name="AutomationRunStatus",
    description="QUEUED → RUNNING (→ WAITING while a render action waits for its job) → "
    "SUCCEEDED | FAILED.",
)


@strawberry.enum(description="What an action does.")
class AutomationActionType(Enum):
    RENDER = "render"
    WEBHOOK = "webhook"


@strawberry.enum(description="How an inbound webhook is signed.")
class SignatureScheme(Enum):
    STANDARD_WEBHOOKS = "standard_webhooks"
    HMAC_SHA256 = "hmac_sha256"


REFERENCES_HELP = (
    "Strings may hold references, `{{trigger.assetId}}` or `{{actions.0.output.jobId}}`, "
    "resolved when the run reaches the action (a string that is one reference keeps the "
    "value's type)."
)


@strawberry.type(description="What starts the automation.")
class AutomationTrigger:
    type: TriggerType  # type: ignore[valid-type]
    cron: str | None = strawberry.field(description="`SCHEDULE`: five-field cron expression.")
    timezone: str | None = strawberry.field(description="`SCHEDULE`: IANA zone of `cron`.")
    next_run_at: datetime | None = strawberry.field(description="`SCHEDULE`: the next tick.")
    endpoint_id: str | None = strawberry.field(description="`WEBHOOK`: the public endpoint id.")
    url: str | None = strawberry.field(description="`WEBHOOK`: where the partner POSTs.")
    signature_scheme: SignatureScheme | None
    signature_header: str | None = strawberry.field(
        description="`HMAC_SHA256`: the header carrying the hex signature."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="`WEBHOOK`: until then, messages signed with the inbound secret before the "
        "last rotation are accepted too."
    )


@strawberry.type(description="One step of an automation. " + REFERENCES_HELP)
class AutomationAction:
    type: AutomationActionType
    template_id: str | None = strawberry.field(description="`RENDER`: the template.")
    variables: JSON | None = strawberry.field(description="`RENDER`: the job's variables.")
    input: JSON | None = strawberry.field(description="`RENDER`: the job's input.")
    wait_for_job: bool | None = strawberry.field(
        description="`RENDER`: wait until the job finishes (its output then includes "
        "`outputAssetId`); a failed job fails the run."
    )
    url: str | None = strawberry.field(description="`WEBHOOK`: where to POST.")
    headers: JSON | None = strawberry.field(description="`WEBHOOK`: extra headers.")
    body: JSON | None = strawberry.field(
        description="`WEBHOOK`: the JSON body; null sends the run (trigger and action outputs)."
    )

    @classmethod
    def of(cls, stored: dict[str, Any]) -> AutomationAction:
        return cls(
            type=AutomationActionType(stored["type"]),
            template_id=stored.get("templateId"),
            variables=stored.get("variables"),
            input=stored.get("input"),
            wait_for_job=stored.get("waitForJob"),
            url=stored.get("url"),
            headers=stored.get("headers"),
            body=stored.get("body"),
        )


@strawberry.type(name="AutomationRunStep", description="What one action did in a run.")
class AutomationRunStep:
    index: int
    type: AutomationActionType
    status: str = strawberry.field(description="pending, running, waiting, succeeded or failed.")
    attempts: int
    output: JSON | None = strawberry.field(
        description="`RENDER`: `{jobId, status, outputAssetId}`; `WEBHOOK`: `{statusCode, body}`."
    )
    error: str | None
    started_at: datetime | None
    finished_at: datetime | None


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None


@strawberry.type(name="AutomationRun", description="One execution of an automation.")
class AutomationRunType(FromRow, Node):
    automation_id: strawberry.ID
    project_id: strawberry.ID
    trigger_type: TriggerType  # type: ignore[valid-type]
    trigger: JSON | None = strawberry.field(description="The run's input: what started it.")
    status: RunStatus  # type: ignore[valid-type]
    error: str | None = strawberry.field(description="Why the run failed.")
    scheduled_for: datetime | None = strawberry.field(description="`SCHEDULE`: the cron tick.")
    chain_depth: int = strawberry.field(
        description="0, or one more than the run that rendered the asset whose readiness "
        "started this run; readiness starts no run deeper than 5."
    )
    started_at: datetime | None
    finished_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @query_field(
        scope=Scope.AUTOMATIONS_READ,
        description="Each action's outcome, in order.",
        cost=FieldCost(max_items=logic.MAX_ACTIONS, items_per_point=10),
    )
    async def steps(self, info: Info) -> list[AutomationRunStep]:
        return [
            AutomationRunStep(
                index=index,
                type=AutomationActionType(step["type"]),
                status=str(step.get("status", "pending")),
                attempts=int(step.get("attempts", 0)),
                output=step.get("output"),
                error=step.get("error"),
                started_at=_when(step.get("startedAt")),
                finished_at=_when(step.get("finishedAt")),
            )
            for index, step in enumerate(self.row.steps)
        ]

    @query_field(scope=Scope.AUTOMATIONS_READ, description="The outputs of the actions, in order.")
    async def output(self, info: Info) -> JSON | None:
        outputs: Any = [step.get("output") for step in self.row.steps]
        return outputs  # type: ignore[no-any-return]

    @query_field(
        scope=Scope.AUTOMATIONS_READ,
        description="Milliseconds from start to finish; null until it finishes.",
    )
    async def duration_ms(self, info: Info) -> int | None:
        row = self.row
        if row.started_at is None or row.finished_at is None:
            return None
        return int((row.finished_at - row.started_at).total_seconds() * 1000)


@strawberry.type(name="Automation", description="A trigger and the actions it runs, in a project.")
class AutomationType(FromRow, Node):
    project_id: strawberry.ID
    name: str
    description: str
    enabled: bool = strawberry.field(description="A disabled automation never runs.")
    owner_key_id: strawberry.ID | None = strawberry.field(
        description="The API key (or OAuth client) that last saved it; actions run with its "
        "current permissions (and, for a user's token, that user's)."
    )
    version: int
    created_at: datetime
    updated_at: datetime

    @query_field(scope=Scope.AUTOMATIONS_READ, description="What starts the automation.")
    async def trigger(self, info: Info) -> AutomationTrigger:
        row: Automation = self.row
        config = row.trigger_config
        scheme = config.get("signatureScheme")
        base = info.context.settings.base_url
        return AutomationTrigger(
            type=row.trigger_type,
            cron=config.get("cron"),
            timezone=config.get("timezone"),
            next_run_at=row.next_run_at,
            endpoint_id=row.endpoint_id,
            url=f"{base}{PATH_PREFIX}{row.endpoint_id}" if row.endpoint_id else None,
            signature_scheme=SignatureScheme(scheme) if scheme else None,
            signature_header=config.get("signatureHeader") if scheme == "hmac_sha256" else None,
            previous_secret_expires_at=row.previous_inbound_secret_expires_at
            if row.previous_inbound_secret
            else None,
        )

    @query_field(
        scope=Scope.AUTOMATIONS_READ,
        description="The actions, run in this order.",
        cost=FieldCost(max_items=logic.MAX_ACTIONS, items_per_point=10),
    )
    async def actions(self, info: Info) -> list[AutomationAction]:
        return [AutomationAction.of(a) for a in self.row.actions]

    @query_field(scope=Scope.AUTOMATIONS_READ, description="Runs of this automation, newest first.")
    async def runs(
        self,
        info: Info,
        status: RunStatus | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AutomationRunType]:
        page = await logic.list_runs(
            info.context, logic.RunFilter(automation_id=self.id, status=status), first, after
        )
        return Connection.from_page(page, AutomationRunType.from_row)


@strawberry.input
class AutomationTriggerInput:
    type: TriggerType  # type: ignore[valid-type]
    cron: str | None = strawberry.field(default=None, description="`SCHEDULE`: `0 9 * * 1-5`.")
    timezone: str | None = strawberry.field(default=None, description="`SCHEDULE`; default UTC.")
    signature_scheme: SignatureScheme | None = strawberry.field(
        default=None, description="`WEBHOOK`; default `STANDARD_WEBHOOKS`."
    )
    signature_header: str | None = strawberry.field(
        default=None, description="`HMAC_SHA256`; default `X-Signature-256`."
    )


@strawberry.input(description="One action. " + REFERENCES_HELP)
class AutomationActionInput:
    type: AutomationActionType
    template_id: str | None = None
    variables: JSON | None = None
    input: JSON | None = None
    wait_for_job: bool | None = None
    url: str | None = None
    headers: JSON | None = None
    body: JSON | None = None


def _trigger(value: AutomationTriggerInput | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "type": value.type,
        "cron": value.cron,
        "timezone": value.timezone,
        "signature_scheme": value.signature_scheme.value if value.signature_scheme else None,
        "signature_header": value.signature_header,
    }


def _actions(values: list[AutomationActionInput] | None) -> list[dict[str, Any]] | None:
    if values is None:
        return None
    return [{**changes_of(a, exclude=("type",)), "type": a.type.value} for a in values]


@strawberry.input
class CreateAutomationInput:
    project_id: strawberry.ID
    name: str
    trigger: AutomationTriggerInput
    actions: list[AutomationActionInput]
    description: str | None = None
    enabled: bool | None = None


@strawberry.input
class UpdateAutomationInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    enabled: bool | None = strawberry.UNSET
    trigger: AutomationTriggerInput | None = strawberry.UNSET
    actions: list[AutomationActionInput] | None = strawberry.UNSET


@strawberry.input
class DeleteAutomationInput:
    id: strawberry.ID


@strawberry.input
class RunAutomationInput:
    id: strawberry.ID
    trigger: JSON | None = strawberry.field(
        default=None, description="What `{{trigger.…}}` reads in this run, e.g. `{assetId}`."
    )


@strawberry.input
class RotateAutomationInboundSecretInput:
    id: strawberry.ID
    grace_period_seconds: int | None = strawberry.field(
        default=None,
        description="How long messages signed with the old secret are still accepted (0 to 7 "
        "days; default 24 h).",
    )


@strawberry.type
class AutomationPayload(MutationPayload):
    automation: AutomationType | None = None
    signing_secret: str | None = strawberry.field(
        default=None,
        description="Signs the automation's webhook actions (Standard Webhooks); shown once, "
        "when the automation is created.",
    )
    inbound_secret: str | None = strawberry.field(
        default=None,
        description="The secret the partner signs inbound webhooks with; shown once, when a "
        "webhook trigger is set up or its secret rotated.",
    )


@strawberry.type
class DeleteAutomationPayload(MutationPayload):
    deleted_automation_id: strawberry.ID | None = None


@strawberry.type
class RunAutomationPayload(MutationPayload):
    automation_run: AutomationRunType | None = None


def _saved(saved: logic.Saved) -> AutomationPayload:
    return AutomationPayload(
        automation=AutomationType.from_row(saved.automation),
        signing_secret=saved.signing_secret,
        inbound_secret=saved.inbound_secret,
    )


@strawberry.input
class AutomationRunFilter:
    automation_id: strawberry.ID | None = None
    project_id: strawberry.ID | None = None
    status: RunStatus | None = None  # type: ignore[valid-type]


AutomationOrderBy = order_by_input(
    "Automation", CREATED_AT="created_at", UPDATED_AT="updated_at", NAME="name"
)


@strawberry.type
class AutomationQueries:
    @query_field(scope=Scope.AUTOMATIONS_READ, description="One automation by id.")
    async def automation(self, info: Info, id: strawberry.ID) -> AutomationType | None:
        return AutomationType.maybe(await logic.get_automation(info.context, id))

    @query_field(scope=Scope.AUTOMATIONS_READ, description="Automations, of one project or all.")
    async def automations(
        self,
        info: Info,
        project_id: strawberry.ID | None = None,
        enabled: bool | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: AutomationOrderBy | None = None,  # type: ignore[valid-type]
    ) -> Connection[AutomationType]:
        page = await logic.list_automations(
            info.context, project_id, enabled, ordering(order_by), first, after
        )
        return Connection.from_page(page, AutomationType.from_row)

    @query_field(scope=Scope.AUTOMATIONS_READ, description="One automation run by id.")
    async def automation_run(self, info: Info, id: strawberry.ID) -> AutomationRunType | None:
        return AutomationRunType.maybe(await logic.get_run(info.context, id))

    @query_field(
        scope=Scope.AUTOMATIONS_READ,
        description="Automation runs with their status, input, output, error and timings, "
        "newest first.",
    )
    async def automation_runs(
        self,
        info: Info,
        filter: AutomationRunFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AutomationRunType]:
        given = filter or AutomationRunFilter()
        page = await logic.list_runs(
            info.context,
            logic.RunFilter(given.automation_id, given.project_id, given.status),
            first,
            after,
        )
        return Connection.from_page(page, AutomationRunType.from_row)


@strawberry.type
class AutomationMutations:
    @mutation_field(
        scope=Scope.AUTOMATIONS_WRITE,
        description="Create an automation; the payload carries its secrets, shown once.",
    )
    async def create_automation(
        self, info: Info, input: CreateAutomationInput
    ) -> AutomationPayload:
        values = {
            "project_id": input.project_id,
            "name": input.name,
            "description": input.description,
            "enabled": input.enabled,
            "trigger": _trigger(input.trigger),
            "actions": _actions(input.actions),
        }
        return _saved(await logic.create_automation(info.context, values))

    @mutation_field(
        scope=Scope.AUTOMATIONS_WRITE,
        description="Change an automation; omitted fields are kept, `trigger` and `actions` are "
        "replaced whole. Its actions then run as the key saving it.",
    )
    async def update_automation(
        self, info: Info, input: UpdateAutomationInput
    ) -> AutomationPayload:
        values = changes_of(input, exclude=("id", "trigger", "actions"))
        if input.trigger is not strawberry.UNSET and input.trigger is not None:
            values["trigger"] = _trigger(input.trigger)
        if input.actions is not strawberry.UNSET and input.actions is not None:
            values["actions"] = _actions(input.actions)
        return _saved(await logic.update_automation(info.context, input.id, values))

    @mutation_field(
        scope=Scope.AUTOMATIONS_WRITE, description="Delete an automation with its runs."
    )
    async def delete_automation(
        self, info: Info, input: DeleteAutomationInput
    ) -> DeleteAutomationPayload:
        deleted = await logic.delete_automation(info.context, input.id)
        return DeleteAutomationPayload(deleted_automation_id=strawberry.ID(deleted))

    @mutation_field(
        scope=Scope.AUTOMATIONS_WRITE,
        description="Issue a new inbound secret for a `WEBHOOK` trigger (shown once in "
        "`inboundSecret`); messages signed with the old one are accepted during the grace "
        "period. Other triggers: INVALID_STATE.",
    )
    async def rotate_automation_inbound_secret(
        self, info: Info, input: RotateAutomationInboundSecretInput
    ) -> AutomationPayload:
        return _saved(
            await logic.rotate_inbound_secret(info.context, input.id, input.grace_period_seconds)
        )

    @mutation_field(
        scope=Scope.AUTOMATIONS_WRITE,
        description="Queue a run now (a disabled automation: INVALID_STATE); a worker executes "
        "it. Follow it with `automationRun(id)` or the `automation.run.*` events.",
    )
    async def run_automation(self, info: Info, input: RunAutomationInput) -> RunAutomationPayload:
        trigger: Any = input.trigger
        run = await logic.run_automation(info.context, input.id, trigger)
        return RunAutomationPayload(automation_run=AutomationRunType.from_row(run))


register_node(IdPrefix.AUTOMATION, Automation, AutomationType, Scope.AUTOMATIONS_READ)
register_node(IdPrefix.AUTOMATION_RUN, AutomationRun, AutomationRunType, Scope.AUTOMATIONS_READ)

QUERIES: tuple[type, ...] = (AutomationQueries,)
MUTATIONS: tuple[type, ...] = (AutomationMutations,)
