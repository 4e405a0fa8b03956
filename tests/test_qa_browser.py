"""In Debian's Chromium: the editor runs a saved query, and what the QA pass over the workbench fixed stays fixed.

A served view has the workbench's top bar and its search suggestions work there (the served pages' policy lets
suggest.js load); the editor's own result tabs and count read in Chinese on a Chinese page.

The editor's own browser tests are in test_editor_browser.py; every view drawing offline is in test_views_browser.py.
"""

from __future__ import annotations

import pytest

from tests.support.browser import fresh, kept_tab, require_chromium, run_saved_query

require_chromium()


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the module, each test loading its page anew in it (:func:`fresh`): a new tab would start a renderer
    of its own, whose set-up (CJK fonts; YASGUI's script compiled afresh) costs Chromium more than these pages."""
    with kept_tab(browser) as tab:
        yield tab


@pytest.fixture()
def narrow(tab):
    """The module's tab, 1024 px wide, with the console errors of the view it shows."""
    tab.set_viewport_size({"width": 1024, "height": 800})
    return fresh(tab), tab.seen["errors"]


@pytest.fixture()
def page(tab):
    """The module's tab at a new tab's size (1280 x 720), what it records emptied."""
    tab.set_viewport_size({"width": 1280, "height": 720})
    return fresh(tab)


@pytest.mark.parametrize("path", ["/views/chart-table1.html?lang=en", "/views/alibaba.html", "/views/"])
def test_a_served_view_has_the_top_bar_and_its_suggestions(narrow, live_server, path):
    page, errors = narrow
    page.goto(live_server + path)
    bar = page.locator("nav.top")
    assert bar.is_visible() and bar.bounding_box()["y"] == 0
    page.fill("nav.top input[name=q]", "Alib")
    page.wait_for_selector("#suggest li a", timeout=10000)
    assert "Alibaba" in page.locator("#suggest").inner_text() or "阿里巴巴" in page.locator("#suggest").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert errors == []


def test_editor_runs_a_saved_query(page, live_server):
    run_saved_query(page, live_server, "b2c_exporters_2018")
    text = page.locator(".yasr:visible").first.inner_text()
    assert "中国香港" in text and "94.3" in text
    assert page.seen["errors"] == [] and page.seen["remote"] == []


def test_the_editor_says_its_results_in_chinese(page, live_server):
    errors = page.seen["errors"]
    run_saved_query(page, live_server, "b2c_exporters_2018", "zh")
    tabs = page.locator(".yasr_header:visible").first.inner_text()
    assert "表格" in tabs and "原始响应" in tabs and "Table" not in tabs and "Response" not in tabs
    chip = page.locator(".yasr_response_chip:visible").first.inner_text()
    assert chip.startswith("10 个结果") and "秒" in chip
    page.locator(".yasr .select_table:visible").first.click()       # YASR's own table still draws
    page.wait_for_selector(".yasr .dataTable:visible", timeout=10000)
    assert "CN" in page.locator(".yasr .dataTable:visible").first.inner_text()
    assert errors == []
