"""In a real browser (Debian's Chromium, driven by Playwright): the editor runs a saved query; every view draws.

The editor's own browser tests are in test_editor_browser.py.
"""

from __future__ import annotations

from urllib.parse import urlparse

from tests.support.browser import require_chromium

require_chromium()


def watch(page):
    """Collect console errors and every request that leaves this machine."""
    seen = {"errors": [], "remote": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def request(r):
        host = urlparse(r.url).hostname
        if r.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost"):
            seen["remote"].append(r.url)

    page.on("request", request)
    return seen


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


def views(built):
    return sorted((built.dist / "views").glob("*.html"))


def test_every_view_draws_offline(browser, built):
    for view in views(built):
        page = browser.new_page()
        seen = watch(page)
        page.goto(view.as_uri())
        if view.name == "index.html":
            assert page.locator("a").count() >= 1
        elif view.name.startswith("chart-"):
            marks = page.locator("svg [data-value]")
            assert marks.count() >= 5, f"{view.name}: nothing plotted"
            box = page.locator("svg").first.bounding_box()
            assert box and box["width"] > 500 and box["height"] > 200
        else:
            page.wait_for_selector("canvas", timeout=10000)
            page.wait_for_function("document.body.getAttribute('data-stabilized') === 'true'", timeout=60000)
            painted = page.evaluate("""() => {
                const c = document.querySelector('canvas');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
                return n; }""")
            assert painted > 1000, f"{view.name}: canvas is empty"
        assert seen["errors"] == [], f"{view.name}: {seen['errors']}"
        assert seen["remote"] == [], f"{view.name}: {seen['remote']}"
        page.close()
