"""``{{trigger.assetId}}`` and ``{{actions.0.output.jobId}}``: the references an action's
parameters may hold, checked when the automation is saved and resolved when it runs.

A reference is a dotted path and nothing else: names and list indexes walked through the run's
JSON data (``trigger``, ``actions``, ``automation``, ``run``). There is no expression, call,
operator or attribute access; resolution only indexes dicts and lists, so it cannot reach
anything but that data. Filling follows ``app.templating``: a parameter that is exactly one
reference takes the value's type, references inside text become text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from app.models import TriggerType
from app.templating import fill, placeholders_in

PATH_RE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]{0,63}(?:\.(?:[A-Za-z_][A-Za-z0-9_]{0,63}|[0-9]{1,4})){0,15}"
)
MAX_RESOLVED_BYTES = 1024 * 1024
"""Most bytes the references of one action may insert: an action of a few kilobytes naming a
large webhook body a thousand times must fail, not build gigabytes."""

OPEN = None
"""Below this name any path is allowed (a JSON body whose shape is the partner's)."""

TRIGGER_FIELDS: dict[TriggerType, dict[str, object]] = {
    TriggerType.ASSET_READY: {"type": "", "assetId": "", "projectId": "", "asset": OPEN},
    TriggerType.WEBHOOK: {"type": "", "webhookId": "", "receivedAt": "", "body": OPEN},
    TriggerType.SCHEDULE: {"type": "", "scheduledFor": ""},
}
ACTION_OUTPUTS: dict[str, dict[str, object]] = {
    "render": {"jobId": "", "status": "", "outputAssetId": ""},
    "webhook": {"statusCode": "", "body": OPEN},
}
AUTOMATION_FIELDS = {"id": "", "name": "", "projectId": ""}
RUN_FIELDS = {"id": ""}


class UnresolvedReference(Exception):
    """An action's references cannot be filled in for this run; the run fails with this."""


class MissingReference(UnresolvedReference):
    """A reference names nothing in this run's data (e.g. a webhook body without that key)."""


class ResolvedTooLarge(UnresolvedReference):
    """The references of one action would insert more than ``MAX_RESOLVED_BYTES``."""


def _check_fields(fields: Mapping[str, object], rest: Sequence[str], shown: str) -> str | None:
    if not rest:
        return None
    name = rest[0]
    if name not in fields:
        known = ", ".join(sorted(fields))
        return f"`{{{{{shown}}}}}`: `{name}` is not one of {known}"
    if fields[name] is not OPEN and len(rest) > 1:
        return f"`{{{{{shown}}}}}`: `{name}` is a single value; nothing is below it"
    return None


def reference_problem(
    path: str, *, trigger: TriggerType, earlier_actions: Sequence[str]
) -> str | None:
    """Why ``path`` cannot be used by an action that comes after ``earlier_actions`` (their
    types, in order) in an automation with this trigger; None if it can."""
    if not PATH_RE.fullmatch(path):
        return f"`{{{{{path[:80]}}}}}` is not a reference: use names and indexes joined by dots"
    root, *rest = path.split(".")
    if root == "trigger":
        if trigger is TriggerType.MANUAL:
            return None
        return _check_fields(TRIGGER_FIELDS[trigger], rest, path)
    if root == "automation":
        return _check_fields(AUTOMATION_FIELDS, rest, path)
    if root == "run":
        return _check_fields(RUN_FIELDS, rest, path)
    if root == "actions":
        if not rest or not rest[0].isdigit():
            return f"`{{{{{path}}}}}`: name an earlier action by its index, `actions.0.output…`"
        index = int(rest[0])
        if index >= len(earlier_actions):
            return f"`{{{{{path}}}}}`: action {index} does not run before this one"
        if len(rest) > 1 and rest[1] != "output":
            return f"`{{{{{path}}}}}`: an action offers only `output`"
        return _check_fields(ACTION_OUTPUTS[earlier_actions[index]], rest[2:], path)
    return f"`{{{{{path}}}}}`: references start with trigger, actions, automation or run"


def problems_in(
    document: Any, *, trigger: TriggerType, earlier_actions: Sequence[str]
) -> list[str]:
    """Every problem with the references in an action's parameters."""
    problems = []
    for path in dict.fromkeys(placeholders_in(document)):
        problem = reference_problem(path, trigger=trigger, earlier_actions=earlier_actions)
        if problem is not None:
            problems.append(problem)
    return problems


@dataclass(frozen=True, slots=True)
class RunData:
    """What references read while a run executes."""

    trigger: Mapping[str, Any]
    outputs: Sequence[Any]
    automation: Mapping[str, Any]
    run: Mapping[str, Any]

    def root(self, name: str) -> Any:
        if name == "trigger":
            return self.trigger
        if name == "actions":
            return [{"output": output} for output in self.outputs]
        if name == "automation":
            return self.automation
        if name == "run":
            return self.run
        raise MissingReference(f"`{name}` is not a reference root")

    def lookup(self, path: str) -> Any:
        if not PATH_RE.fullmatch(path):
            raise MissingReference(f"`{{{{{path[:80]}}}}}` is not a reference")
        root, *rest = path.split(".")
        value = self.root(root)
        for part in rest:
            if isinstance(value, Mapping) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            else:
                raise MissingReference(f"`{{{{{path}}}}}` is not in this run's data")
        return value


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str) else len(orjson.dumps(value))


def resolve(document: Any, data: RunData) -> Any:
    """``document`` with every reference replaced; raises ``MissingReference`` or
    ``ResolvedTooLarge``."""
    inserted = 0

    def lookup(path: str) -> tuple[bool, Any]:
        nonlocal inserted
        value = data.lookup(path)
        inserted += _size(value)
        if inserted > MAX_RESOLVED_BYTES:
            raise ResolvedTooLarge(
                f"the references of this action insert more than {MAX_RESOLVED_BYTES} bytes"
            )
        return True, value

    return fill(document, lookup)
