"""Helpers for the console's tests: a signed-in person in process (``Browser``) and the
screenshots the browser tests leave in ``docs/console/``."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from playwright.async_api import ViewportSize

from app.factory import Application
from tests.identity_fixtures import Browser, form_fields

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "console"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


@asynccontextmanager
async def person(app: Application, email: str) -> AsyncIterator[Browser]:
    """``email`` signed in to ``app`` over https (so cookies are ``Secure``), from an address
    of its own so sign-in throttling never couples tests."""
    address = f"203.0.113.{secrets.randbelow(250) + 1}"
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    async with httpx.AsyncClient(
        transport=transport, base_url="https://testserver", follow_redirects=False
    ) as http:
        browser = Browser(http)
        response = await browser.sign_in(email)
        assert response.status_code == 303, response.text
        yield browser


async def csrf_of(browser: Browser, path: str) -> str:
    """The session's CSRF token, as a form on ``path`` carries it."""
    page = await browser.get(path)
    assert page.status_code == 200, page.text
    return form_fields(page.text)["csrf_token"]
