"""The reference evaluator of automation actions (``{{trigger.assetId}}``,
``{{actions.0.output.jobId}}``): what is accepted when an automation is saved, what a run
resolves, and that hostile input reaches nothing but the run's data, in bounded time and
space."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest

from app.automations.references import (
    MAX_RESOLVED_BYTES,
    MissingReference,
    ResolvedTooLarge,
    RunData,
    problems_in,
    reference_problem,
    resolve,
)
from app.models import TriggerType
from app.templating import placeholders_in

RUN = RunData(
    trigger={
        "type": "webhook",
        "webhookId": "msg_1",
        "body": {"clip": "take-7", "frames": [10, 20, {"at": 3}], "count": 2, "none": None},
    },
    outputs=[{"jobId": "job_1", "status": "queued", "outputAssetId": None}],
    automation={"id": "aut_1", "name": "Grade", "projectId": "prj_1"},
    run={"id": "run_1"},
)


def problem(path: str, trigger: TriggerType = TriggerType.WEBHOOK, *earlier: str) -> str | None:
    return reference_problem(path, trigger=trigger, earlier_actions=list(earlier))


@pytest.mark.parametrize(
    ("path", "trigger", "earlier"),
    [
        ("trigger.assetId", TriggerType.ASSET_READY, ()),
        ("trigger.asset.media.width", TriggerType.ASSET_READY, ()),
        ("trigger.body", TriggerType.WEBHOOK, ()),
        ("trigger.body.items.0.name", TriggerType.WEBHOOK, ()),
        ("trigger.scheduledFor", TriggerType.SCHEDULE, ()),
        ("trigger", TriggerType.SCHEDULE, ()),
        ("trigger.anything.at.all", TriggerType.MANUAL, ()),
        ("actions.0.output.jobId", TriggerType.WEBHOOK, ("render",)),
        ("actions.1.output.body.result", TriggerType.WEBHOOK, ("render", "webhook")),
        ("actions.0.output", TriggerType.WEBHOOK, ("webhook",)),
        ("automation.projectId", TriggerType.WEBHOOK, ()),
        ("run.id", TriggerType.WEBHOOK, ()),
    ],
)
def test_valid_references_are_accepted(
    path: str, trigger: TriggerType, earlier: tuple[str, ...]
) -> None:
    assert problem(path, trigger, *earlier) is None


@pytest.mark.parametrize(
    ("path", "earlier", "says"),
    [
        ("actions.0.output.jobId", (), "action 0 does not run before this one"),
        ("actions.1.output.jobId", ("render",), "action 1 does not run before this one"),
        ("actions.9999.output", ("render",), "does not run before"),
        ("actions.first.output", ("render",), "name an earlier action by its index"),
        ("actions", ("render",), "name an earlier action by its index"),
        ("actions.0.input", ("render",), "offers only `output`"),
        ("actions.0.output.secret", ("render",), "is not one of"),
        ("actions.0.output.jobId.length", ("render",), "nothing is below it"),
        ("trigger.assetId", (), "is not one of"),
        ("trigger.webhookId.0", (), "nothing is below it"),
        ("trigger.__class__", (), "is not one of"),
        ("run.id.__class__", (), "nothing is below it"),
        ("automation.secret", (), "is not one of"),
        ("env.HOME", (), "references start with"),
        ("__import__", (), "references start with"),
        ("trigger.body[0]", (), "is not a reference"),
        ("trigger['body']", (), "is not a reference"),
        ("trigger.body.__class__()", (), "is not a reference"),
        ("trigger.body + 1", (), "is not a reference"),
        ("", (), "is not a reference"),
        ("trigger..body", (), "is not a reference"),
        ("trigger.body.", (), "is not a reference"),
        ("actions.-1.output", ("render",), "is not a reference"),
        ("actions.٣.output", ("render",) * 5, "is not a reference"),
        ("trigger." + ".".join(["a"] * 16), (), "is not a reference"),
        ("trigger.body." + "a" * 65, (), "is not a reference"),
    ],
)
def test_invalid_references_are_refused_with_the_reason(
    path: str, earlier: tuple[str, ...], says: str
) -> None:
    found = problem(path, TriggerType.WEBHOOK, *earlier)
    assert found is not None and says in found, found


def test_problems_in_checks_every_string_of_an_action_once() -> None:
    action = {
        "variables": {"clip": "{{ trigger.body.clip }}", "job": "{{actions.0.output.jobId}}"},
        "input": {"list": ["{{nope}}", {"deep": "x {{nope}} y"}], "{{key.is.not.checked}}": 1},
    }
    found = sorted(problems_in(action, trigger=TriggerType.WEBHOOK, earlier_actions=[]))
    assert len(found) == 2
    assert found[0].startswith("`{{actions.0.output.jobId}}`: action 0 does not run before")
    assert found[1].startswith("`{{nope}}`: references start with")


def test_a_reference_that_is_the_whole_string_keeps_the_value_type() -> None:
    assert resolve("{{trigger.body.count}}", RUN) == 2
    assert resolve("{{trigger.body.frames}}", RUN) == [10, 20, {"at": 3}]
    assert resolve("{{ trigger.body.frames.2.at }}", RUN) == 3
    assert resolve("{{trigger.body.none}}", RUN) is None
    assert resolve("{{actions.0.output.jobId}}", RUN) == "job_1"
    assert resolve({"a": ["{{run.id}}", 5, None]}, RUN) == {"a": ["run_1", 5, None]}


def test_references_inside_text_become_text() -> None:
    assert (
        resolve("clip {{trigger.body.clip}} of {{automation.name}}", RUN) == "clip take-7 of Grade"
    )
    assert resolve("n={{trigger.body.count}}", RUN) == "n=2"
    assert resolve("[{{trigger.body.none}}]", RUN) == "[]"
    assert resolve("{{trigger.body.frames}}!", RUN) == '[10,20,{"at":3}]!'


def test_resolved_values_are_not_evaluated_again() -> None:
    """A value that itself looks like a reference (a partner's body) is inserted as text."""
    data = RunData({"body": {"evil": "{{run.id}}", "x": "{{"}}, [], {}, {"id": "run_1"})
    assert resolve("{{trigger.body.evil}}", data) == "{{run.id}}"
    assert resolve("a {{trigger.body.evil}} b", data) == "a {{run.id}} b"
    assert resolve("{{trigger.body.x}}run.id}}", data) == "{{run.id}}"


@pytest.mark.parametrize(
    "path",
    [
        "trigger.body.missing",
        "trigger.body.frames.3",
        "trigger.body.frames.x",
        "trigger.body.clip.0",
        "trigger.body.count.real",
        "trigger.body.__class__",
        "trigger.body.clip.__len__",
        "trigger.body.frames.__class__",
        "trigger.keys",
        "actions.1.output",
        "actions.0.output.jobId.upper",
        "nothing.here",
    ],
)
def test_missing_data_fails_the_action_and_attributes_are_never_read(path: str) -> None:
    with pytest.raises(MissingReference):
        resolve("{{" + path + "}}", RUN)


def test_names_that_look_like_python_are_plain_keys_of_the_data() -> None:
    data = RunData({"body": {"__class__": "a key", "keys": [1]}}, [], {}, {})
    assert resolve("{{trigger.body.__class__}}", data) == "a key"
    assert resolve("{{trigger.body.keys.0}}", data) == 1


def test_a_huge_expansion_fails_instead_of_building_it() -> None:
    big = "x" * (64 * 1024)
    data = RunData({"body": {"big": big}}, [], {}, {})
    assert resolve("{{trigger.body.big}}", data) == big
    bomb = "{{trigger.body.big}}" * (MAX_RESOLVED_BYTES // len(big) + 1)
    with pytest.raises(ResolvedTooLarge):
        resolve({"a": bomb}, data)
    with pytest.raises(ResolvedTooLarge):
        resolve(["{{trigger.body}}"] * 20, data)


@pytest.mark.parametrize(
    "text",
    [
        "{{" * 32_000,
        "{{a" * 20_000,
        "{{" + "a" * 64_000,
        "{" * 64_000 + "}" * 64_000,
        "{{a}" * 16_000,
    ],
)
def test_scanning_hostile_text_is_linear(text: str) -> None:
    """64 KiB of unclosed braces took about a minute with a lazy ``.*?`` and takes
    milliseconds now: the bound only catches a return to quadratic scanning (a hang), with a
    thousandfold margin, not a speed."""
    started = time.process_time()
    list(placeholders_in(text))
    problems_in({"body": text}, trigger=TriggerType.WEBHOOK, earlier_actions=[])
    with contextlib.suppress(MissingReference):
        resolve(text, RunData({}, [], {}, {}))
    assert time.process_time() - started < 5


def test_deep_documents_are_walked_without_recursion_limits_at_save_time() -> None:
    deep: Any = "{{nope}}"
    for _ in range(5000):
        deep = {"a": [deep]}
    found = problems_in(deep, trigger=TriggerType.WEBHOOK, earlier_actions=[])
    assert len(found) == 1
