"""In a real browser (Debian's Chromium, driven by Playwright): the editor runs a saved query.

The editor's own browser tests are in test_editor_browser.py; every view drawing offline is in test_views_browser.py
(which loads each network view once for all its checks).
"""

from __future__ import annotations

from tests.support.browser import require_chromium, run_saved_query, watch

require_chromium()


def test_editor_runs_a_saved_query(browser, live_server):
    page = browser.new_page()
    seen = watch(page)
    run_saved_query(page, live_server, "b2c_exporters_2018")
    text = page.locator(".yasr:visible").first.inner_text()
    assert "中国香港" in text and "94.3" in text
    assert seen["errors"] == [] and seen["remote"] == []
    page.close()
