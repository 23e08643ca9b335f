"""Headless Chromium for the tests: Debian's browser, driven by Playwright, with no network.

The browser comes from the system package (`chromium`, installed by tests/run.sh);
Playwright never downloads one. Every request a page makes is recorded, so a test
can prove a page loaded nothing from the network, and console errors are collected.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ARTIFACTS = Path(os.environ.get("REVIEWBOT_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError("headless Chromium is missing: install the Debian package 'chromium' (tests/run.sh does)")
    return found


@dataclass
class Watched:
    """A page plus what it asked for and what it complained about."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def network_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(("file://", "data:", "about:"))]


@contextmanager
def browser_page(viewport: tuple[int, int] = (1400, 1000)) -> Iterator[Watched]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            page = context.new_page()
            watched = Watched(page)
            page.on("request", lambda request: watched.requests.append(request.url))
            page.on("console", lambda message: message.type == "error" and watched.errors.append(message.text))
            page.on("pageerror", lambda error: watched.errors.append(str(error)))
            yield watched
        finally:
            browser.close()


def screenshot(watched: Watched, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    watched.page.screenshot(path=str(path), full_page=False)
    return path
