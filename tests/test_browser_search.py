"""In a real browser (Debian's Chromium through Playwright): the top bar's box suggests as you type; the search
page lists hits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import fresh, kept_tab, require_chromium

require_chromium()


@pytest.fixture(scope="module")
def tab(browser):
    with kept_tab(browser) as tab:
        yield tab


@pytest.fixture()
def page(tab):
    return fresh(tab)


def test_typing_cainiao_suggests_cainiao_network(page, live_server):
    page.goto(live_server + "/search")
    page.locator("#q").click()
    page.keyboard.type("菜鸟")
    first = page.locator("#suggest li a").first
    # the list may first show the hits for "菜" (typed a keystroke earlier, answered first): wait for the full text's
    expect(first).to_contain_text("别名：菜鸟", timeout=10000)
    assert "菜鸟网络" in first.inner_text()
    assert first.get_attribute("href") == "/entity/cainiao?lang=zh"
    page.keyboard.press("ArrowDown")
    assert "active" in (first.get_attribute("class") or "")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/entity/cainiao?lang=zh")
    assert page.seen["errors"] == [] and page.seen["remote"] == []


@pytest.mark.parametrize("query,first", [("AliExpress 海外仓", "速卖通海外仓"), ("Amazn", "亚马逊")])
def test_search_page_lists_hits(page, live_server, query, first):
    page.goto(live_server + "/search")
    page.fill("#q-page", query)
    with page.expect_navigation():
        page.locator("form.search button").click()
    names = page.locator("ol.hits a.name")
    assert names.count() >= 1 and names.first.inner_text() == first
    assert page.seen["errors"] == [] and page.seen["remote"] == []
