"""GraphiQL and the REST reference (``/docs``) in a real browser (Chromium via Playwright).

GraphiQL must be useful before a key is entered (docs explorer and autocompletion from the
static schema document, no request to ``/graphql``), then run queries over HTTP and
subscriptions over the ``/graphql`` WebSocket with the key from its Headers tab. ``/docs`` must
show an operation's code samples (tests/test_rest_openapi.py checks every operation has them).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from app.events.worker import EventWorker
from tests.browser import chromium
from tests.conftest import Tenant
from tests.events_fixtures import WAIT_SECONDS

pytest_plugins = ["tests.events_fixtures"]

PAGES_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
"""Pages that read no data look the same on every backend: one is enough."""

QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT = ".result-window .CodeMirror"


async def _set_editors(page: Page, query: str, headers: dict[str, str]) -> None:
    """Types into GraphiQL's query and Headers editors (CodeMirror) as a paste would."""
    await page.evaluate(
        """([query, headers]) => {
            document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(query);
            const [tool] = [...document.querySelectorAll(".graphiql-editor-tool .graphiql-editor")]
                .filter((editor) => !editor.classList.contains("hidden"));
            tool.querySelector(".CodeMirror").CodeMirror.setValue(headers);
        }""",
        [query, json.dumps(headers)],
    )


async def _result(page: Page, containing: str, within: float = WAIT_SECONDS) -> Any:
    """The result pane's JSON once it holds ``containing``."""
    await page.wait_for_function(
        """([selector, text]) => {
            const editor = document.querySelector(selector);
            return editor !== null && editor.CodeMirror.getValue().includes(text);
        }""",
        arg=[RESULT, containing],
        timeout=within * 1000,
    )
    return json.loads(
        await page.evaluate(f"document.querySelector({RESULT!r}).CodeMirror.getValue()")
    )


@PAGES_ONLY
async def test_graphiql_docs_and_autocompletion_work_before_a_key(server: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page()
        problems: list[str] = []
        sent: list[str] = []
        page.on("console", lambda message: problems.append(f"{message.type}: {message.text}"))
        page.on("request", lambda request: sent.append(f"{request.method} {request.url}"))
        await page.goto(f"{server}/graphql")
        await page.wait_for_selector(QUERY_EDITOR)

        await page.click("button[aria-label='Show Documentation Explorer']")
        await page.click(".graphiql-doc-explorer-content a:text-is('Query')")
        await page.wait_for_selector(".graphiql-doc-explorer-content a:text-is('projects')")
        await page.click(".graphiql-doc-explorer-content a:text-is('projects')")
        await page.wait_for_selector(".graphiql-doc-explorer-content:has-text('ProjectConnection')")

        await page.evaluate(f"document.querySelector({QUERY_EDITOR!r}).CodeMirror.setValue('')")
        await page.click(QUERY_EDITOR)
        await page.keyboard.type("{ proj")
        await page.wait_for_selector(".CodeMirror-hint")
        hints = await page.eval_on_selector_all(
            ".CodeMirror-hint", "hints => hints.map(h => h.textContent)"
        )
        assert {"project", "projects"} <= set(hints)

        assert [r for r in sent if not r.startswith("GET ")] == []
        assert f"GET {server}/graphql/schema.json" in sent
        assert problems == []


async def test_graphiql_runs_queries_and_subscriptions_with_the_key(
    server: str, tenant: Tenant, worker: EventWorker
) -> None:
    authorization = {"Authorization": f"Bearer {tenant.token}"}
    async with chromium() as browser:
        page = await browser.new_page()
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        await page.goto(f"{server}/graphql")
        await page.wait_for_selector(QUERY_EDITOR)

        await _set_editors(page, "{ viewer { organizationId } }", authorization)
        await page.click("button[aria-label='Execute query (Ctrl-Enter)']")
        answer = await _result(page, "organizationId")
        assert answer["data"] == {"viewer": {"organizationId": tenant.org_id}}
        assert "errors" not in answer

        subscribed: list[str] = []
        page.on(
            "websocket",
            lambda socket: socket.on(
                "framesent",
                lambda frame: (
                    subscribed.append(str(frame)) if '"subscribe"' in str(frame) else None
                ),
            ),
        )
        subscription = "subscription Changes { events { type aggregateId } }"
        await _set_editors(page, subscription, authorization)
        await page.click("button[aria-label='Execute query (Ctrl-Enter)']")
        event = await _first_event_seen(page, tenant, subscribed)
        assert event["data"]["events"]["type"] == "project.created"
        assert sockets == [f"{server.replace('http://', 'ws://')}/graphql"]


async def _first_event_seen(page: Page, tenant: Tenant, subscribed: list[str]) -> Any:
    """Creates projects until the subscription in the result pane shows one: the server takes
    the subscription a moment after the browser sent it, and events before that are not its."""
    for attempt in range(20):
        if not subscribed:
            await page.wait_for_timeout(100)
            continue
        created = await tenant.gql(
            f'mutation {{ createProject(input: {{slug: "graphiql-{attempt}", name: "Seen"}}) '
            "{ project { id } userErrors { code } } }"
        )
        project = created.body["data"]["createProject"]["project"]["id"]
        try:
            event = await _result(page, project, within=2)
        except PlaywrightTimeout:
            continue
        assert event["data"]["events"]["aggregateId"] == project
        return event
    raise AssertionError("the subscription in GraphiQL never showed an event")


@PAGES_ONLY
async def test_docs_page_shows_code_samples_for_an_operation(server: str) -> None:
    async with chromium() as browser:
        page = await browser.new_page()
        await page.goto(f"{server}/docs#/projects/createProject")
        samples = page.locator("#operations-projects-createProject .rh-samples")
        await samples.wait_for()
        labels = await samples.locator("summary").all_inner_texts()
        assert labels == ["curl", "Python SDK", "TypeScript SDK"]
        sources = await samples.locator("pre").all_text_contents()
        assert "curl -X POST" in sources[0] and "/v1/projects" in sources[0]
        assert "client.projects.create(" in sources[1]
        assert "client.projects.create(" in sources[2]
