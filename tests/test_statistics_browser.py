"""The statistics explorer in a real browser (Debian's Chromium, driven by Playwright): the table fits the page
and hovering over a value shows its sentence with the number marked."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.support.browser import kept_tab, require_chromium

require_chromium()


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the module, each test's page loaded in it (:func:`load`): the renderer it keeps has the page's
    fonts set up, which a new tab would do again at more cost than a page."""
    with kept_tab(browser, viewport={"width": 1280, "height": 800}) as tab:
        tab.problems = []           # what the page that is shown did wrong: its errors, any request off this machine
        tab.on("pageerror", lambda e: tab.problems.append(str(e)))
        tab.on("console", lambda m: tab.problems.append(m.text) if m.type == "error" else None)
        tab.on("request", lambda r: tab.problems.append(r.url)
               if urlparse(r.url).hostname not in (None, "127.0.0.1") else None)
        yield tab


def load(tab, url: str, width: int = 1280):
    """``url``, loaded anew in the module's tab, ``width`` px wide, with its own list of problems."""
    tab.set_viewport_size({"width": width, "height": 800})
    tab.problems.clear()
    tab.goto(url)
    return tab, tab.problems


@pytest.fixture()
def tables(tab, live_server):
    """The whole table (every row) in one language, loaded unless the tab shows it already: the tests of a language
    read the same load, each setting its own width (the layout is CSS alone: its media queries apply again on a
    resize)."""
    def table(lang: str):
        url = f"{live_server}/statistics?_size=all&lang={lang}"
        return (tab, tab.problems) if tab.url == url else load(tab, url)

    return table


@pytest.mark.parametrize("width", [1024, 1280])      # the language the outer loop: each table loaded once
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_row_fits_the_page(tables, lang, width):
    page, problems = tables(lang)
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("window.innerWidth") == width
    assert page.locator("table.data tbody tr").count() > 250
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('.tablewrap').scrollWidth") <= width
    assert problems == []


def test_hover_shows_the_sentence_with_the_number_marked(tab, live_server, report_source):
    page, problems = load(tab, f"{live_server}/statistics?about=CN&period=2018")
    popover = page.locator("tr#t1-CN-sales .fig .pop")
    assert not popover.is_visible()
    page.hover("tr#t1-CN-sales .fig")
    assert popover.is_visible()
    assert popover.locator("mark").inner_text() == "1000" and "中国" in popover.inner_text()
    assert problems == []
