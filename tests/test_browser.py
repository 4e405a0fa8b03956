"""In a real browser (Debian's Chromium, driven by Playwright): the editor runs a saved query.

The editor's own browser tests are in test_editor_browser.py; every view drawing offline is in test_views_browser.py
(which loads each network view once for all its checks).
"""

from __future__ import annotations

from tests.support.browser import require_chromium, watch

require_chromium()


def test_editor_runs_a_saved_query(browser, live_server):
    page = browser.new_page()
    seen = watch(page)
    page.goto(live_server + "/editor?query=b2c_exporters_2018")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator(".yasqe_queryButton:visible").first.click()
    page.wait_for_selector(".yasr table tbody tr >> visible=true", timeout=15000)
    text = page.locator(".yasr:visible").first.inner_text()
    assert "中国香港" in text and "94.3" in text
    assert seen["errors"] == [] and seen["remote"] == []
    page.close()
