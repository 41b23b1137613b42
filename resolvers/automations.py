"""Automations of a project and their runs.

An automation is saved whole: its trigger and its actions are checked together (every
``{{reference}}`` must name something the run will have, a render template must be the
project's, a webhook URL must pass the SSRF guard), and its actions run later with the
current permissions of the credential that saved it (``app.auth.owners``), which must itself
hold what they need (``jobs:write`` for render actions). Saving returns the secrets once: the outbound signing secret and, for a
webhook trigger, the inbound secret the partner signs with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.auth.owners import owner_columns
from app.auth.scopes import Scope
from app.automations.cron import cron_problem, next_tick, zone_problem
from app.automations.inbound import DEFAULT_HMAC_HEADER, HMAC, STANDARD
from app.automations.references import problems_in
from app.automations.triggers import queue_run
from app.clock import utcnow
from app.events.bus import OUTBOX, RUNS
from app.events.signing import new_secret, rotate
from app.events.urls import url_problem
from app.ids import IdPrefix, new_id
from app.json_bounds import JsonBounds
from app.models import Automation, AutomationRun, Project, RunStatus, Template, TriggerType
from resolvers.context import Context
from resolvers.pagination import Ordering, Page, paginate
from resolvers.permissions import visibility
from resolvers.template_variables import definitions_of
from resolvers.unit_of_work import UnitOfWork, unit_of_work
from resolvers.validation import Checker, InputErrorCode, invalid_state
from resolvers.webhooks import grace_period
from resolvers.writes import apply_changes, load_for_update, load_visible

MAX_ACTIONS = 20
MAX_PARAMS_BYTES = 64 * 1024
ACTION_BOUNDS = JsonBounds(max_bytes=MAX_PARAMS_BYTES)
"""An action as stored: its template variables, job input, webhook headers and body."""
MAX_HEADERS = 20
MAX_RUN_INPUT_BYTES = 64 * 1024
FORBIDDEN_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "content-type",
        "transfer-encoding",
        "connection",
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    }
)
SCHEMES = (STANDARD, HMAC)


@dataclass(frozen=True, slots=True)
class Saved:
    automation: Automation
    signing_secret: str | None = None
    inbound_secret: str | None = None


@dataclass(frozen=True, slots=True)
class RunFilter:
    automation_id: str | None = None
    project_id: str | None = None
    status: RunStatus | None = None


async def get_automation(ctx: Context, automation_id: str) -> Automation | None:
    row: Automation | None = await ctx.loaders.by_id(Automation).load(automation_id)
    return row


async def list_automations(
    ctx: Context,
    project_id: str | None,
    enabled: bool | None,
    ordering: Ordering,
    first: int | None,
    after: str | None,
) -> Page[Automation]:
    stmt = select(Automation).where(*visibility(ctx, Automation))
    if project_id is not None:
        stmt = stmt.where(col(Automation.project_id) == project_id)
    if enabled is not None:
        stmt = stmt.where(col(Automation.enabled).is_(enabled))
    return await paginate(ctx.db, stmt, Automation, ordering, first, after)


async def get_run(ctx: Context, run_id: str) -> AutomationRun | None:
    row: AutomationRun | None = await ctx.loaders.by_id(AutomationRun).load(run_id)
    return row


async def list_runs(
    ctx: Context, filter: RunFilter, first: int | None, after: str | None
) -> Page[AutomationRun]:
    stmt = select(AutomationRun).where(*visibility(ctx, AutomationRun))
    if filter.automation_id is not None:
        stmt = stmt.where(col(AutomationRun.automation_id) == filter.automation_id)
    if filter.project_id is not None:
        stmt = stmt.where(col(AutomationRun.project_id) == filter.project_id)
    if filter.status is not None:
        stmt = stmt.where(col(AutomationRun.status) == filter.status)
    return await paginate(ctx.db, stmt, AutomationRun, Ordering("created_at"), first, after)


def _check_trigger(check: Checker, trigger: Mapping[str, Any] | None) -> dict[str, Any]:
    """The trigger's stored config."""
    if trigger is None:
        return {}
    kind = trigger.get("type")
    config: dict[str, Any] = {}
    if kind is TriggerType.MANUAL:
        check.add(
            ("trigger", "type"),
            InputErrorCode.INVALID,
            "Any automation can be run by "
            "hand (`runAutomation`); choose WEBHOOK, SCHEDULE or ASSET_READY.",
        )
    if kind is TriggerType.SCHEDULE:
        cron = trigger.get("cron")
        timezone = trigger.get("timezone") or "UTC"
        if not cron:
            check.add(("trigger", "cron"), InputErrorCode.REQUIRED, "A schedule needs `cron`.")
        elif (problem := cron_problem(cron)) is not None:
            check.add(("trigger", "cron"), InputErrorCode.INVALID, f"`cron` {problem}.")
        if (problem := zone_problem(timezone)) is not None:
            check.add(("trigger", "timezone"), InputErrorCode.INVALID, f"{problem}.")
        config = {"cron": cron, "timezone": timezone}
    elif trigger.get("cron") is not None or trigger.get("timezone") is not None:
        check.add(("trigger", "cron"), InputErrorCode.INVALID, "Only schedules take `cron`.")
    if kind is TriggerType.WEBHOOK:
        scheme = (trigger.get("signature_scheme") or STANDARD).lower()
        header = (trigger.get("signature_header") or DEFAULT_HMAC_HEADER).lower()
        if scheme not in SCHEMES:
            check.add(("trigger", "signatureScheme"), InputErrorCode.INVALID, "Unknown scheme.")
        check.text("signatureHeader", header, max_length=64)
        config = {"signatureScheme": scheme, "signatureHeader": header}
    check.json_value("trigger", config)
    return config


def _check_actions(
    ctx: Context, check: Checker, actions: Sequence[Mapping[str, Any]], trigger: TriggerType
) -> list[dict[str, Any]]:
    """The actions as stored (camelCase keys, as references and runs read them)."""
    if not 1 <= len(actions) <= MAX_ACTIONS:
        check.add("actions", InputErrorCode.OUT_OF_RANGE, f"Give 1 to {MAX_ACTIONS} actions.")
    stored: list[dict[str, Any]] = []
    kinds: list[str] = []
    for index, action in enumerate(actions):
        at = ("actions", str(index))
        kind = str(action["type"])
        item: dict[str, Any] = {"type": kind}
        if kind == "render":
            template_id = action.get("template_id")
            if not template_id:
                check.add(
                    (*at, "templateId"), InputErrorCode.REQUIRED, "A render needs a template."
                )
            item.update(
                templateId=template_id,
                variables=action.get("variables") or {},
                input=action.get("input") or {},
                waitForJob=bool(action.get("wait_for_job")),
            )
            for name in ("variables", "input"):
                if not isinstance(item[name], dict):
                    check.add((*at, name), InputErrorCode.INVALID, f"`{name}` must be an object.")
            if not ctx.principal.has(Scope.JOBS_WRITE):
                check.add(
                    at,
                    InputErrorCode.INVALID,
                    "Render actions run as the key saving "
                    "them, which needs the `jobs:write` scope.",
                )
        else:
            url = action.get("url")
            if not url:
                check.add((*at, "url"), InputErrorCode.REQUIRED, "A webhook needs a `url`.")
            elif (
                problem := url_problem(url, allow_private=ctx.settings.webhooks_allow_private_urls)
            ) is not None:
                check.add((*at, "url"), InputErrorCode.INVALID, f"`url` {problem}.")
            headers = action.get("headers") or {}
            if (
                not isinstance(headers, dict)
                or len(headers) > MAX_HEADERS
                or not all(
                    isinstance(k, str)
                    and isinstance(v, str)
                    and k.lower() not in FORBIDDEN_HEADERS
                    and k.isascii()
                    and "\n" not in v
                    and "\r" not in v
                    for k, v in headers.items()
                )
            ):
                check.add(
                    (*at, "headers"),
                    InputErrorCode.INVALID,
                    f"`headers` maps up to "
                    f"{MAX_HEADERS} names to text values; content and signature headers "
                    "are set by the server.",
                )
            item.update(url=url, headers=headers, body=action.get("body"))
        check.json_value(at, item, bounds=ACTION_BOUNDS)
        for problem in problems_in(
            {k: v for k, v in item.items() if k not in ("type", "url")},
            trigger=trigger,
            earlier_actions=kinds,
        ):
            check.add(at, InputErrorCode.INVALID, problem)
        kinds.append(kind)
        stored.append(item)
    return stored


async def _check_templates(uow: UnitOfWork, project_id: str, actions: list[dict[str, Any]]) -> None:
    check = Checker()
    for index, action in enumerate(actions):
        template_id = action.get("templateId")
        if action["type"] != "render" or not isinstance(template_id, str) or "{{" in template_id:
            continue
        at = ("input", "actions", str(index), "templateId")
        template = await load_visible(uow, Template, template_id, path=at, what="Template")
        if template.project_id != project_id:
            check.add(
                ("actions", str(index), "templateId"),
                InputErrorCode.NOT_FOUND,
                "Template not found in this project.",
            )
            continue
        known = {d.key for d in definitions_of(template.variables)}
        for key in action["variables"]:
            if key not in known:
                check.add(
                    ("actions", str(index), "variables", str(key)[:64]),
                    InputErrorCode.UNKNOWN_VARIABLE,
                    f"`{key}` is not a variable of the template.",
                )
    check.raise_if_any()


def _schedule(automation: Automation) -> None:
    config = automation.trigger_config
    if automation.enabled and automation.trigger_type is TriggerType.SCHEDULE:
        automation.next_run_at = next_tick(config["cron"], config["timezone"], utcnow())
    else:
        automation.next_run_at = None


def _arm_webhook(automation: Automation) -> str | None:
    """A webhook trigger gets its public endpoint and inbound secret (returned once)."""
    if automation.trigger_type is not TriggerType.WEBHOOK:
        automation.endpoint_id = None
        automation.inbound_secret = None
        automation.previous_inbound_secret = None
        automation.previous_inbound_secret_expires_at = None
        return None
    if automation.endpoint_id is not None:
        return None
    secret = new_secret()
    automation.endpoint_id = new_id(IdPrefix.INBOUND_ENDPOINT)
    automation.inbound_secret = secret
    automation.previous_inbound_secret = None
    automation.previous_inbound_secret_expires_at = None
    return secret


async def create_automation(ctx: Context, values: Mapping[str, Any]) -> Saved:
    check = Checker()
    check.text("name", values.get("name"), max_length=100, required=True)
    check.text("description", values.get("description"), max_length=2000)
    trigger = values["trigger"]
    config = _check_trigger(check, trigger)
    actions = _check_actions(ctx, check, values["actions"], trigger["type"])
    check.raise_if_any()
    signing_secret = new_secret()
    async with unit_of_work(ctx) as uow:
        project = await load_for_update(
            uow, Project, values["project_id"], path=("input", "projectId"), what="Project"
        )
        await _check_templates(uow, project.id, actions)
        automation = Automation(
            org_id=ctx.org_id,
            project_id=project.id,
            name=values["name"],
            description=values.get("description") or "",
            enabled=values.get("enabled") is not False,
            trigger_type=trigger["type"],
            trigger_config=config,
            actions=actions,
            signing_secret=signing_secret,
            **owner_columns(ctx.principal),
        )
        inbound = _arm_webhook(automation)
        _schedule(automation)
        uow.add(automation)
        uow.emit(automation, "created")
    return Saved(automation, signing_secret, inbound)


async def update_automation(ctx: Context, automation_id: str, values: Mapping[str, Any]) -> Saved:
    check = Checker()
    check.text("name", values.get("name"), max_length=100, required="name" in values)
    check.text("description", values.get("description"), max_length=2000)
    if "enabled" in values and values["enabled"] is None:
        check.add("enabled", InputErrorCode.REQUIRED, "`enabled` cannot be null.")
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        automation = await load_for_update(uow, Automation, automation_id, what="Automation")
        trigger = values.get("trigger")
        kind = trigger["type"] if trigger else automation.trigger_type
        config = _check_trigger(check, trigger) if trigger else automation.trigger_config
        raw_actions = values.get("actions")
        if raw_actions is None:
            raw_actions = [_as_input(a) for a in automation.actions]
        actions = _check_actions(ctx, check, raw_actions, kind)
        check.raise_if_any()
        await _check_templates(uow, automation.project_id, actions)
        changes: dict[str, Any] = {
            k: v for k, v in values.items() if k in ("name", "description", "enabled")
        }
        changes.update(
            trigger_type=kind,
            trigger_config=config,
            actions=actions,
            **owner_columns(ctx.principal),
        )
        changed = apply_changes(automation, changes)
        inbound = _arm_webhook(automation)
        before = automation.next_run_at
        if trigger or "enabled" in values:
            _schedule(automation)
        if changed or inbound or before != automation.next_run_at:
            uow.changed(automation)
    return Saved(automation, None, inbound)


def _as_input(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A stored action back in input form (to re-check it with the saving key)."""
    names = {"templateId": "template_id", "waitForJob": "wait_for_job"}
    return {names.get(k, k): v for k, v in stored.items()}


async def rotate_inbound_secret(
    ctx: Context, automation_id: str, grace_period_seconds: int | None
) -> Saved:
    """A new inbound secret (returned once); messages signed with the previous one are still
    accepted for the grace period, as webhook endpoints' secrets rotate."""
    grace = grace_period(ctx, grace_period_seconds)
    async with unit_of_work(ctx) as uow:
        automation = await load_for_update(uow, Automation, automation_id, what="Automation")
        if automation.trigger_type is not TriggerType.WEBHOOK or automation.endpoint_id is None:
            raise invalid_state(
                ("input", "id"), "Only automations with a WEBHOOK trigger have an inbound secret."
            )
        rotated = rotate(automation.inbound_secret, grace, utcnow())
        automation.inbound_secret = rotated.secret
        automation.previous_inbound_secret = rotated.previous
        automation.previous_inbound_secret_expires_at = rotated.previous_expires_at
        uow.changed(automation, "inbound_secret_rotated")
    return Saved(automation, None, rotated.secret)


async def delete_automation(ctx: Context, automation_id: str) -> str:
    """Deletes it with its runs; a run in progress stops at its next step."""
    async with unit_of_work(ctx) as uow:
        automation = await load_for_update(uow, Automation, automation_id, what="Automation")
        await uow.delete(automation)
    return automation_id


async def run_automation(
    ctx: Context, automation_id: str, trigger: Mapping[str, Any] | None
) -> AutomationRun:
    """Queue a run now; ``trigger`` is what ``{{trigger.…}}`` reads (e.g. an ``assetId``)."""
    check = Checker()
    check.json_object("trigger", trigger, bounds=JsonBounds(max_bytes=MAX_RUN_INPUT_BYTES))
    check.raise_if_any()
    async with unit_of_work(ctx) as uow:
        automation = await load_for_update(uow, Automation, automation_id, what="Automation")
        if not automation.enabled:
            raise invalid_state(("input", "id"), "The automation is disabled; enable it first.")
        run = queue_run(uow.session, automation, TriggerType.MANUAL, dict(trigger or {}))
    ctx.db.committed(OUTBOX)
    ctx.db.committed(RUNS)
    return run
