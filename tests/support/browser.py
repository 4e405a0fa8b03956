"""Debian's Chromium for the browser tests, driven by Playwright: where it is, how it starts, and the skip.

A browser-test module calls :func:`require_chromium` at its top: without Chromium it is skipped, saying so, except
in CI, which must have installed it (``.ci/run``).
"""

from __future__ import annotations

import contextlib
import os
import shutil

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
