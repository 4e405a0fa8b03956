"""The network views in a real browser (Debian's Chromium through Playwright): labels readable after the first fit,
a click on a node opens its entity page when the view is served."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import require_chromium

NETWORKS = ["overview", "alibaba", "policy", "markets", "business-models", "agreements-events", "categories", "brands"]
require_chromium()


@pytest.fixture(scope="module")
def context(browser):
    # the pages' CSP forbids eval, which Playwright's waiting helpers use; the pages' own scripts are inline
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context
    context.close()


def settled(page) -> None:
    page.wait_for_selector("canvas", timeout=10000)
    page.wait_for_function("() => document.body.getAttribute('data-stabilized') === 'true'", timeout=120000)


SMALLEST_LABEL = """() => {
    const origin = network.canvasToDOM({x: 0, y: 0}), unit = network.canvasToDOM({x: 100, y: 0});
    const px = (unit.x - origin.x) / 100;           // CSS pixels per graph unit
    const sizes = nodes.getIds().map(id => network.body.nodes[id].options.font.size * px);
    return {smallest: Math.min(...sizes), count: sizes.length};
}"""


def test_labels_are_at_least_12_px_after_the_first_fit(context, built):
    small = {}
    for folder in (built.dist / "views", built.dist / "views" / "en"):
        for name in NETWORKS:
            page = context.new_page()
            page.goto((folder / f"{name}.html").as_uri())
            settled(page)
            measured = page.evaluate(SMALLEST_LABEL)
            assert measured["count"] >= 5, (folder.name, name, measured)
            if measured["smallest"] < 12 - 1e-6:
                small[f"{folder.name}/{name}"] = measured
            page.close()
    assert small == {}


def test_a_click_on_a_node_opens_its_entity_page(context, live_server):
    page = context.new_page()
    page.goto(live_server + "/views/alibaba.html")
    settled(page)
    where = page.evaluate("""() => {
        const id = nodes.getIds().find(i => nodes.get(i).entity === 'aliexpress');
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const box = document.getElementById('network').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    page.mouse.click(where["x"], where["y"])
    page.wait_for_url(re.compile(r"/entity/aliexpress\?lang=zh$"), timeout=10000)
    assert page.url.endswith("/entity/aliexpress?lang=zh")
    page.close()


def test_a_click_in_a_file_stays_on_the_page(context, built):
    page = context.new_page()
    url = (built.dist / "views" / "alibaba.html").as_uri()
    page.goto(url)
    settled(page)
    page.evaluate("() => network.emit('click', {nodes: [nodes.getIds()[0]], edges: []})")
    page.wait_for_timeout(300)
    assert page.url == url
    page.close()


def test_the_english_view_opens_the_english_entity_page(context, live_server):
    page = context.new_page()
    page.goto(live_server + "/views/alibaba.html?lang=en")
    settled(page)
    assert page.url.endswith("/views/en/alibaba.html")
    assert page.locator("#gallery").inner_text() == "← All views"
    page.evaluate("() => network.emit('click', {nodes: [nodes.getIds().find(i => nodes.get(i).entity === 'cainiao')], edges: []})")
    page.wait_for_url(re.compile(r"/entity/cainiao\?lang=en$"), timeout=10000)
    page.close()
