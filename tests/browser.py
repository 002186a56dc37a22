"""Headless Debian Chromium for the browser tests (Playwright cannot download browsers here)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@contextmanager
def headless_chromium() -> Iterator:
    """A sync Playwright Chromium.

    Sync Playwright keeps an event loop in the main thread, so Django would refuse the tests' own
    ORM calls; they are allowed while the browser lives and Django's guard comes back after it.
    Use it from a package- or module-scoped fixture: later pytest-asyncio tests cannot run while
    that loop is alive.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextmanager
def logged_in_page(browser, base_url: str, user, *, width: int = 1400, height: int = 900) -> Iterator:
    """(page, errors) of a fresh browser context logged in as `user`; `errors` collects uncaught page errors."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page, errors
    finally:
        context.close()
