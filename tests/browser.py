"""Debian's Chromium driven by Playwright (no browser download), for the pages people use in a
browser. Skipped locally when Chromium is missing; with ``CI=true`` it fails instead
(``.ci/run`` installs it), like the PostgreSQL and Redis tests."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.backends import IN_CI

CHROMIUM = Path("/usr/bin/chromium")


def chromium_executable() -> str:
    if CHROMIUM.exists():
        return str(CHROMIUM)
    found = shutil.which("chromium")
    if found:
        return found
    message = "Chromium is not installed (apt-get install -y chromium)"
    if IN_CI:
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(message)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    executable = chromium_executable()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            await browser.close()
