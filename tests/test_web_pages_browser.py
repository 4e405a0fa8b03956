"""The workbench's pages in a real browser (Debian's Chromium through Playwright): they draw, offline, without errors."""

from __future__ import annotations

import pytest

from tests.support.browser import require_chromium

require_chromium()

#: /entity/GB last: test_number_is_marked_in_its_sentence reads it where this module's first test left it
PAGES = ["/", "/entity/DEKO?lang=en", "/sections/", "/section/table1", "/browse/", "/browse/Company", "/entity/Cainao",
         "/entity/GB"]


@pytest.fixture(scope="module")
def page(browser):
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()


def test_pages_draw_without_errors_or_remote_requests(page, live_server):
    errors, remote = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith((live_server, "data:")) else None)
    for path in PAGES:
        response = page.goto(live_server + path)
        assert response.status == (404 if path == "/entity/Cainao" else 200), path
        assert page.locator("main").bounding_box()["height"] > 100, path
    assert errors == [] and remote == []


def test_number_is_marked_in_its_sentence(page, live_server, report_source):
    if page.url != live_server + "/entity/GB":          # not loaded by the test before (this one alone, say)
        page.goto(live_server + "/entity/GB")
    mark = page.locator("q.sentence mark", has_text="400").first
    assert mark.is_visible()
    sentence = mark.locator("xpath=..")
    assert "英国" in sentence.inner_text() and "400" in sentence.get_attribute("title")
    box = mark.bounding_box()
    assert box["width"] > 10 and box["height"] > 10
