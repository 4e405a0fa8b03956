"""Screenshot a view with Debian's Chromium (through Playwright) once its layout has settled.

    python scripts/screenshot.py dist/views/alibaba.html docs/view-alibaba.png
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def shoot(page_path: Path, png: Path, width: int = 1280, height: int = 900) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_function("document.body.getAttribute('data-stabilized') === 'true'", timeout=120000)
        page.wait_for_timeout(500)
        page.screenshot(path=str(png))
        browser.close()


if __name__ == "__main__":
    shoot(Path(sys.argv[1]), Path(sys.argv[2]))
