"""In Debian's Chromium: what the QA pass over the workbench fixed stays fixed.

A served view has the workbench's top bar and its search suggestions work there (the served pages' policy lets
suggest.js load); the editor's own result tabs and count read in Chinese on a Chinese page.
"""

from __future__ import annotations

import pytest

from tests.support.browser import require_chromium, run_saved_query, watch

require_chromium()


@pytest.fixture(scope="module")
def narrow(browser):
    """One 1024-px-wide tab for the served views, with the console errors of the view it shows."""
    page = browser.new_page(viewport={"width": 1024, "height": 800})
    yield page, watch(page)["errors"]
    page.close()


@pytest.mark.parametrize("path", ["/views/chart-table1.html?lang=en", "/views/alibaba.html", "/views/"])
def test_a_served_view_has_the_top_bar_and_its_suggestions(narrow, live_server, path):
    page, errors = narrow
    errors.clear()
    page.goto(live_server + path)
    bar = page.locator("nav.top")
    assert bar.is_visible() and bar.bounding_box()["y"] == 0
    page.fill("nav.top input[name=q]", "Alib")
    page.wait_for_selector("#suggest li a", timeout=10000)
    assert "Alibaba" in page.locator("#suggest").inner_text() or "阿里巴巴" in page.locator("#suggest").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    assert errors == []


def test_the_editor_says_its_results_in_chinese(browser, live_server):
    page = browser.new_page()
    errors = watch(page)["errors"]
    run_saved_query(page, live_server, "b2c_exporters_2018", "zh")
    tabs = page.locator(".yasr_header:visible").first.inner_text()
    assert "表格" in tabs and "原始响应" in tabs and "Table" not in tabs and "Response" not in tabs
    chip = page.locator(".yasr_response_chip:visible").first.inner_text()
    assert chip.startswith("10 个结果") and "秒" in chip
    page.locator(".yasr .select_table:visible").first.click()       # YASR's own table still draws
    page.wait_for_selector(".yasr .dataTable:visible", timeout=10000)
    assert "CN" in page.locator(".yasr .dataTable:visible").first.inner_text()
    assert errors == []
    page.close()
