"""The statistics explorer in a real browser (Debian's Chromium, driven by Playwright): the table fits the page
and hovering over a value shows its sentence with the number marked."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.support.browser import require_chromium

require_chromium()


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 800})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: problems.append(r.url) if urlparse(r.url).hostname not in (None, "127.0.0.1") else None)
    page.goto(url)
    return page, problems


@pytest.fixture(scope="module")
def tables(browser, live_server):
    """The whole table (every row), loaded once per language; each test sets its own width (the layout is CSS
    alone: its media queries apply again on a resize)."""
    opened: dict[str, tuple] = {}

    def table(lang: str):
        if lang not in opened:
            opened[lang] = open_page(browser, f"{live_server}/statistics?_size=all&lang={lang}")
        return opened[lang]

    yield table
    for page, _ in opened.values():
        page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [1024, 1280])
def test_every_row_fits_the_page(tables, lang, width):
    page, problems = tables(lang)
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("window.innerWidth") == width
    assert page.locator("table.data tbody tr").count() > 250
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('.tablewrap').scrollWidth") <= width
    assert problems == []


def test_hover_shows_the_sentence_with_the_number_marked(browser, live_server, report_source):
    page, problems = open_page(browser, f"{live_server}/statistics?about=CN&period=2018")
    popover = page.locator("tr#t1-CN-sales .fig .pop")
    assert not popover.is_visible()
    page.hover("tr#t1-CN-sales .fig")
    assert popover.is_visible()
    assert popover.locator("mark").inner_text() == "1000" and "中国" in popover.inner_text()
    assert problems == []
    page.close()
