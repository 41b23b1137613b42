"""The consent flow once in a real headless browser: Debian's Chromium driven by Playwright.

Skipped locally when Chromium is missing; with ``CI=true`` it fails instead (``.ci/run``
installs it), like the PostgreSQL and Redis tests.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.async_api import Request, Route

from app.models import UserRole
from tests.browser import chromium
from tests.conftest import Tenant
from tests.identity_fixtures import (
    PASSWORD,
    REDIRECT_URI,
    Live,
    add_client,
    add_user,
    bearer,
    new_verifier,
    oauth_client,
)
from tests.test_oauth_flows import VIEWER


async def test_a_person_signs_in_and_allows_in_chromium(tenant: Tenant, live: Live) -> None:
    user = await add_user(tenant, UserRole.ADMIN)
    client = await add_client(tenant, name="Storyboard Sync")
    verifier = new_verifier()
    async with oauth_client(live, client, scope="projects:read content:read") as oauth:
        url, state = oauth.create_authorization_url(
            f"{live.url}/oauth/authorize", code_verifier=verifier
        )
        callbacks: list[str] = []
        problems: list[str] = []

        async def callback(route: Route, request: Request) -> None:
            callbacks.append(request.url)
            await route.fulfill(status=200, content_type="text/plain", body="back at the app")

        async with chromium() as browser:
            page = await browser.new_page()
            page.on("console", lambda message: problems.append(message.text))
            await page.route(f"{REDIRECT_URI}**", callback)
            await page.goto(url)
            assert "/oauth/login" in page.url
            await page.fill("input[name=email]", user.email)
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button[type=submit]")
            await page.wait_for_selector("button[name=decision][value=allow]")
            text = await page.inner_text("main")
            assert "Storyboard Sync" in text
            assert "See projects, their settings and render quotas" in text
            assert await page.get_attribute("a >> text=partner terms", "href") == (
                live.app.services.settings.oauth_terms_url
            )
            assert await page.evaluate("getComputedStyle(document.body).display") == "grid"
            await page.click("button[name=decision][value=allow]")
            await page.wait_for_url(f"{REDIRECT_URI}**")

        assert not [p for p in problems if "Content Security Policy" in p], problems
        [location] = callbacks
        params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert params["state"] == state and params["code"]
        token = await oauth.fetch_token(
            f"{live.url}/oauth/token", authorization_response=location, code_verifier=verifier
        )
    viewer = (await bearer(live, token["access_token"], VIEWER)).json()["data"]["viewer"]
    assert viewer["userId"] == user.id and viewer["scopes"] == ["content:read", "projects:read"]
