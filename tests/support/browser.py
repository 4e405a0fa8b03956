"""Debian's Chromium for the browser tests, driven by Playwright: where it is, how it starts, the skip, and what a
page is watched for (console errors, requests leaving this machine).

A browser-test module calls :func:`require_chromium` at its top: without Chromium it is skipped, saying so, except
in CI, which must have installed it (``.ci/run``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            raise RuntimeError("CI must install Debian's chromium (see .ci/run)")
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests not run", allow_module_level=True)


@contextlib.contextmanager
def chromium():
    """A headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def kept_tab(browser, **options):
    """One tab for the tests of a module, each of which loads its page anew in it (:func:`fresh`). A new tab would
    start a renderer of its own, whose set-up (the CJK fonts; the page's scripts compiled afresh) costs Chromium more
    than most of these pages: ~1-3 s of CPU a page against ~0.3-0.8 s in a kept tab. ``tab.seen`` is what
    :func:`watch` records."""
    tab = browser.new_page(**options)
    tab.seen = watch(tab)
    try:
        yield tab
    finally:
        tab.close()


def fresh(tab):
    """``tab`` on an empty page, as a new tab starts, its record of errors and remote requests emptied: the test's
    page is a new document, even where its address differs from the last one's by a '#fragment' only."""
    tab.goto("about:blank")
    for kept in tab.seen.values():
        kept.clear()
    return tab


def watch(page) -> dict[str, list[str]]:
    """Collect the page's console errors and every request that leaves this machine."""
    seen: dict[str, list[str]] = {"errors": [], "remote": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def request(r):
        host = urlparse(r.url).hostname
        if r.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost"):
            seen["remote"].append(r.url)

    page.on("request", request)
    return seen


def run_saved_query(page, server: str, name: str, lang: str | None = None) -> None:
    """Open the saved query ``name`` in the served editor, run it, and wait until its results table shows."""
    page.goto(f"{server}/editor?" + (f"lang={lang}&" if lang else "") + f"query={name}")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator(".yasqe_queryButton:visible").first.click()
    page.wait_for_selector(".yasr table tbody tr >> visible=true", timeout=15000)
