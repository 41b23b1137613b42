"""The console in a real headless Chromium (``tests.browser``), against a live server:
sign in, create a key and use it; create a webhook endpoint pointing at a local receiver and
press Test; find the failed delivery and redeliver it; filter the audit log; the pages'
screenshots (1280 by 800, into ``docs/console/``), and a member kept out of admin pages. Run on
PostgreSQL + Redis, the production backends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, Response
from standardwebhooks import Webhook

from app.events.worker import EventWorker
from app.models import UserRole
from tests.browser import chromium
from tests.conftest import Tenant
from tests.console_fixtures import SCREENSHOTS, VIEWPORT
from tests.events_fixtures import Answer, Request, running_receiver
from tests.identity_fixtures import PASSWORD, Live, add_user
from tests.test_webhooks import create_project

pytestmark = pytest.mark.parametrize("backend", ["postgres"], indirect=True)
pytest_plugins = ["tests.events_fixtures"]


class Session:
    """A person's tab, collecting what the page's policy refused and uncaught script errors."""

    def __init__(self, page: Page, live: Live) -> None:
        self.page = page
        self.live = live
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(message.text)

    def _response(self, response: Response) -> None:
        """Pages may answer 403 or 404 on purpose; their assets never fail. (The sign-in page,
        not the console's, names no icon, so the browser asks for one.)"""
        if response.request.resource_type == "document" or response.url.endswith("/favicon.ico"):
            return
        if response.status >= 400:
            self.problems.append(f"{response.status} {response.url}")

    async def open(self, path: str) -> None:
        await self.page.goto(self.live.url + path)

    async def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@asynccontextmanager
async def signed_in(browser: Browser, live: Live, email: str) -> AsyncIterator[Session]:
    context = await browser.new_context(viewport=VIEWPORT)
    try:
        session = Session(await context.new_page(), live)
        await session.open("/console/")
        assert "/oauth/login" in session.page.url
        await session.page.fill("input[name=email]", email)
        await session.page.fill("input[name=password]", PASSWORD)
        await session.page.click("button[type=submit]")
        await session.page.wait_for_url(f"{live.url}/console/")
        yield session
        assert session.problems == []
    finally:
        await context.close()


async def test_an_admin_creates_a_key_in_the_browser_and_it_works(
    tenant: Tenant, live: Live
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with chromium() as browser, signed_in(browser, live, admin.email) as tab:
        page = tab.page
        assert await page.inner_text("h1") == "Overview"
        assert "% left" in await page.inner_text("#limits-heading + .chart-pair")
        await tab.shot("overview")

        await page.click("nav >> text=API keys")
        await page.click("text=Create API key")
        await page.fill("#name", "ShotGrid bridge")
        await page.check("input[name='scope:projects:read']")
        await page.keyboard.press("Tab")
        await tab.shot("api-key-new")
        await page.click("button:has-text('Create key')")
        await page.wait_for_selector("#secret")
        secret = await page.input_value("#secret")
        assert secret.startswith("rh_")
        assert await page.is_visible("button[data-copy]")
        await tab.shot("api-key-secret")

        async with httpx.AsyncClient(base_url=live.url) as http:
            auth = {"Authorization": f"Bearer {secret}"}
            listed = await http.get("/v1/projects", headers=auth)
            assert listed.status_code == 200, listed.text
            body = {"slug": "made-with-a-read-key", "name": "Nope"}
            refused = await http.post("/v1/projects", headers=auth, json=body)
            assert refused.status_code == 403
            assert refused.json()["error"]["code"] == "UNAUTHORIZED_SCOPE"

            await page.click("text=Done")
            await tab.shot("api-key")
            await page.select_option("#gracePeriodSeconds", "0")
            await page.click("button:has-text('Rotate secret')")
            rotated = await page.input_value("#secret")
            assert rotated != secret
            assert (await http.get("/v1/projects", headers=auth)).status_code == 401
            auth = {"Authorization": f"Bearer {rotated}"}
            assert (await http.get("/v1/projects", headers=auth)).status_code == 200

            await page.click("text=Done")
            page.once("dialog", lambda dialog: dialog.accept())
            await page.check("input[name=confirm]")
            await page.click("button:has-text('Revoke key')")
            await page.wait_for_selector("text=Revoked")
            assert (await http.get("/v1/projects", headers=auth)).status_code == 401

        await page.click("nav >> text=API keys")
        assert "ShotGrid bridge" in await page.inner_text("table")
        await tab.shot("api-keys")

        await page.click("nav >> text=Users")
        await tab.shot("users")


async def test_a_member_cannot_reach_admin_pages(tenant: Tenant, live: Live) -> None:
    member = await add_user(tenant, UserRole.MEMBER)
    async with chromium() as browser, signed_in(browser, live, member.email) as tab:
        page = tab.page
        navigation = await page.inner_text("nav")
        assert "API keys" in navigation and "Users" not in navigation
        await tab.open("/console/users")
        assert await page.inner_text("h1") == "Not allowed"
        await tab.open("/console/keys")
        assert await page.locator("text=Create API key").count() == 0
        await tab.open("/console/keys/new")
        assert await page.inner_text("h1") == "Not allowed"
        await tab.shot("member-refused")


def refuse_events(request: Request, _index: int) -> Answer:
    """The receiver a partner is still building: the Test passes, real events get a 400."""
    if request.json["type"] == "webhook.test":
        return 200, {"content-type": "text/plain"}, b"hello from the bridge"
    return 400, {}, b"unknown event"


async def test_webhook_test_button_failed_delivery_and_audit_search(
    tenant: Tenant, live: Live, worker: EventWorker
) -> None:
    admin = await add_user(tenant, UserRole.ADMIN)
    async with (
        running_receiver(refuse_events) as receiver,
        chromium() as browser,
        signed_in(browser, live, admin.email) as tab,
    ):
        page = tab.page
        await page.click("nav >> text=Webhooks")
        await page.click("text=Add endpoint")
        await page.fill("#url", receiver.url)
        await page.fill("#description", "ShotGrid bridge")
        await page.check("input[name='event:project.created']")
        await tab.shot("webhook-new")
        await page.click("button:has-text('Add endpoint')")
        secret = await page.input_value("#secret")
        assert secret.startswith("whsec_")
        await page.click("text=Done")

        await page.click("button:has-text('Send test')")
        await page.wait_for_selector("#test-result")
        [request] = receiver.requests
        assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"
        response = await page.inner_text("#test-result pre.response")
        assert response.startswith("HTTP 200") and "hello from the bridge" in response
        sent = await page.inner_text("#test-result pre.request")
        assert request.headers["webhook-signature"] in sent
        await tab.shot("webhook-test")

        await create_project(tenant, "bridge-target")
        await receiver.wait_count(2)
        await page.click("nav >> text=Deliveries")
        await page.select_option("#f-status", "DEAD")
        await page.click("button:has-text('Filter')")
        await page.wait_for_selector("td >> text=project.created")
        await tab.shot("deliveries")
        await page.click("a:has-text('project.created')")
        assert "HTTP 400" in await page.inner_text("pre.response")
        await tab.shot("delivery")
        await page.click("button:has-text('Redeliver now')")
        await page.wait_for_selector("text=Redelivery queued")
        again = await receiver.wait_count(3)
        assert again[-1].webhook_id == again[1].webhook_id

        request_id = await page.inner_text("footer code")
        await live.app.services.auditor.writer.flush()
        await page.click("nav >> text=Audit log")
        await page.fill("#requestId", request_id)
        await page.click("button:has-text('Filter')")
        rows = page.locator("table.audit tbody tr")
        assert await rows.count() == 1
        assert request_id in await rows.inner_text()
        await tab.shot("audit-log")

        await page.click("nav >> text=Events")
        await page.wait_for_selector("td >> text=project.created")
        await tab.shot("events")
        await page.click("nav >> text=OAuth apps")
        await tab.shot("oauth-clients")
        await page.click("nav >> text=Webhooks")
        await tab.shot("webhooks")
