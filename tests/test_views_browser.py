"""Every view in a real browser (Debian's Chromium through Playwright): each draws offline; the network views' labels
are readable after the first fit; a click on a node opens its entity page when the view is served.

Loading and settling a network view is most of the cost, so each is loaded once per language (:func:`networks`)
and the checks read what that load recorded.
"""

from __future__ import annotations

import re

import pytest

from tests.support.browser import fresh, kept_tab, require_chromium

NETWORKS = ["overview", "alibaba", "policy", "markets", "business-models", "agreements-events", "categories", "brands"]
require_chromium()


@pytest.fixture(scope="module")
def tab(browser):
    """One tab for the module, each view loaded anew in it: a new tab would start a renderer of its own, whose set-up
    (CJK fonts, vis-network's script compiled afresh) costs Chromium ~1 s of CPU more than a load in a kept tab. The
    pages keep their own CSP (it forbids eval): Playwright's evaluate and selector waits need none."""
    with kept_tab(browser, viewport={"width": 1280, "height": 900}) as tab:
        yield tab


def settled(page) -> None:
    page.wait_for_selector("canvas", timeout=10000)
    # a DOM observer sees the attribute set; wait_for_function would poll every animation frame
    page.wait_for_selector("body[data-stabilized=true]", state="attached", timeout=120000)


PAINTED = """() => {
    const c = document.querySelector('canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n; }"""

SMALLEST_LABEL = """() => {
    const origin = network.canvasToDOM({x: 0, y: 0}), unit = network.canvasToDOM({x: 100, y: 0});
    const px = (unit.x - origin.x) / 100;           // CSS pixels per graph unit
    const sizes = nodes.getIds().map(id => network.body.nodes[id].options.font.size * px);
    return {smallest: Math.min(...sizes), count: sizes.length};
}"""


@pytest.fixture(scope="module")
def networks(tab, built) -> dict[str, dict]:
    """Each network view, Chinese ('views/NAME') and English ('en/NAME'), loaded from its file and settled once, in
    the module's tab: its console errors, remote requests, painted canvas pixels, smallest label and (alibaba's) the
    address after a click on a node, as the tests read them."""
    page, seen = fresh(tab), tab.seen
    loaded = {}
    for folder in (built.dist / "views", built.dist / "views" / "en"):
        for name in NETWORKS:
            seen["errors"].clear()
            seen["remote"].clear()
            page.goto((folder / f"{name}.html").as_uri())
            settled(page)
            url = page.url
            loaded[f"{folder.name}/{name}"] = {"painted": page.evaluate(PAINTED), "labels": page.evaluate(SMALLEST_LABEL),
                                               "errors": list(seen["errors"]), "remote": list(seen["remote"]),
                                               "url": url, "after a click": clicked(page) if name == "alibaba" else url}
    return loaded


def test_every_view_draws_offline(tab, built, networks):
    page, seen = fresh(tab), tab.seen   # the index and the charts, each checked on its own load
    for view in sorted((built.dist / "views").glob("*.html")):
        if view.stem in NETWORKS:
            drawn = networks[f"views/{view.stem}"]
            assert drawn["painted"] > 1000, f"{view.name}: canvas is empty"
            assert drawn["errors"] == [], f"{view.name}: {drawn['errors']}"
            assert drawn["remote"] == [], f"{view.name}: {drawn['remote']}"
            continue
        seen["errors"].clear()
        seen["remote"].clear()
        page.goto(view.as_uri())
        if view.name == "index.html":
            assert page.locator("a").count() >= 1
        else:
            assert view.name.startswith("chart-"), f"{view.name}: neither a network, a chart nor the index"
            marks = page.locator("svg [data-value]")
            assert marks.count() >= 5, f"{view.name}: nothing plotted"
            box = page.locator("svg").first.bounding_box()
            assert box and box["width"] > 500 and box["height"] > 200
        assert seen["errors"] == [], f"{view.name}: {seen['errors']}"
        assert seen["remote"] == [], f"{view.name}: {seen['remote']}"
    for name in NETWORKS:                # the English networks, loaded by the fixture too
        drawn = networks[f"en/{name}"]
        assert drawn["painted"] > 1000 and drawn["errors"] == [] and drawn["remote"] == [], (f"en/{name}", drawn)


def test_labels_are_at_least_12_px_after_the_first_fit(networks):
    small = {}
    for view, drawn in networks.items():
        measured = drawn["labels"]
        assert measured["count"] >= 5, (view, measured)
        if measured["smallest"] < 12 - 1e-6:
            small[view] = measured
    assert small == {}


def test_a_click_on_a_node_opens_its_entity_page(tab, live_server):
    page = fresh(tab)
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


def clicked(page) -> str:
    """Where a click on the page's first node sends it: the address of a navigation the click starts (the page's
    'navigate' event fires as one starts, within the click: nothing to wait for), else the page's own."""
    started = page.evaluate("""() => {
        let to = null;
        navigation.addEventListener('navigate', e => { to = e.destination.url; }, {once: true});
        network.emit('click', {nodes: [nodes.getIds()[0]], edges: []});
        return to; }""")
    return started or page.url


def test_a_click_in_a_file_stays_on_the_page(networks):
    for view in ("views/alibaba", "en/alibaba"):
        assert networks[view]["after a click"] == networks[view]["url"], view


def test_the_english_view_opens_the_english_entity_page(tab, live_server):
    page = fresh(tab)
    page.goto(live_server + "/views/alibaba.html?lang=en")
    settled(page)
    assert page.url.endswith("/views/en/alibaba.html")
    assert page.locator("#gallery").inner_text() == "← All views"
    page.evaluate("() => network.emit('click', {nodes: [nodes.getIds().find(i => nodes.get(i).entity === 'cainiao')], edges: []})")
    page.wait_for_url(re.compile(r"/entity/cainiao\?lang=en$"), timeout=10000)
