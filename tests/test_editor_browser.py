"""The SPARQL editor in a real browser (Debian's Chromium, driven by Playwright).

A server of its own with a row limit of 12: the report's saved queries fit, a query over every
triple is cut, and the page must say so.
"""

from __future__ import annotations

import pytest

from tests.support.browser import fresh, kept_tab, require_chromium
from tests.support.server import serve_in_thread

ROW_LIMIT = 12
require_chromium()


@pytest.fixture(scope="module")
def server(built):

    from kg.project import Project
    from kg.query.engine import Limits
    from kg.web.serve import create_app

    # a 2 s limit, as test_serve's: the runaway query below spends it all (the report's own queries take milliseconds)
    with serve_in_thread(create_app(Project(built.dist.parent), Limits(timeout=2.0, workers=1, max_rows=ROW_LIMIT))) as url:
        yield url


@pytest.fixture(scope="module")
def tab(browser):
    """One tab (1366 px wide) for the module. Each test loads its page anew in it, a new document (YASGUI's
    persistence is off: nothing of an earlier test's page is left), and the renderer the tab keeps has YASGUI's
    script compiled: a load costs Chromium ~0.8 s of CPU there against ~3 s in a new tab."""
    with kept_tab(browser, viewport={"width": 1366, "height": 900}) as tab:
        yield tab


@pytest.fixture()
def page(tab):
    return fresh(tab)


@pytest.fixture()
def editor(tab, server):
    """An editor for the queries that only need its answer shown: opened by the first test that asks for it and
    kept by the next ones while the tab still shows that document (a mark on its window says so)."""
    if not tab.evaluate("window.keptEditor === true"):
        open_editor(fresh(tab), server)
        tab.evaluate("window.keptEditor = true")
    return tab


def open_editor(page, server, query: str = "", lang: str = "zh"):
    page.goto(f"{server}/editor?lang={lang}" + (f"&query={query}" if query else ""))
    page.wait_for_selector(".yasqe .CodeMirror")


def run(page, text: str | None = None):
    """Put ``text`` (if given) in the open tab's editor and run it."""
    if text is not None:
        page.evaluate("t => window.cbecEditor.yasgui.getTab().getYasqe().setValue(t)", text)
    page.locator(".yasqe_queryButton:visible").first.click()


def results(page) -> str:
    page.wait_for_selector("table.cbec[data-labels=done] >> visible=true", timeout=15000)
    return page.locator(".yasr:visible").first.inner_text()


def no_page_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_saved_query_reads_as_plain_text(page, server, built):
    from kg.query.saved import SavedQuery

    open_editor(page, server, "b2c_exporters_2018")
    run(page)
    text = results(page)
    query = SavedQuery.read(built.dist.parent / "queries" / "b2c_exporters_2018.rq")
    heading = query.meta.get("column-country") or "country"         # the query's own heading, else the variable
    assert heading in page.locator("table.cbec thead:visible").inner_text()
    first = page.locator("table.cbec tbody tr:visible").first.inner_text().split("\t")
    assert first[:5] == ["1", "1", "中国", "CN", "1000"]
    assert "中国香港" in text and "94.3" in text
    assert "^^" not in text and "@zh" not in text and '"' not in text and "…" not in text
    assert no_page_scroll(page)
    assert page.seen["errors"] == [] and page.seen["remote"] == []


def test_menu_opens_a_saved_query_in_a_new_tab(page, server):
    open_editor(page, server)
    assert page.locator(".tabsList .tab").count() == 1
    page.fill("#saved-filter", "品牌出海")
    visible = page.locator("a.saved-query:visible")
    assert visible.count() == 1
    visible.first.click()
    assert page.locator(".tabsList .tab").count() == 2
    assert page.locator(".tabsList .tab.active").inner_text().strip().startswith("2019 年中国品牌出海十强")
    run(page)
    text = results(page)
    assert "华为" in text and "阿里巴巴" in text
    assert page.locator("a.saved-query.current").get_attribute("data-query") == "table6_chinese_brands_abroad_2019"
    assert page.locator("nav.top a.lang-switch").get_attribute("href") == "?lang=en&query=table6_chinese_brands_abroad_2019"
    assert page.seen["errors"] == []


@pytest.mark.parametrize("query, said", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates are refused: this endpoint is read-only"),
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("SELECT ?s WHERE { ?s ?p }", "syntax error at line 1, column"),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "the query was stopped after 2 s"),
], ids=["update-403", "service-403", "syntax-400", "timeout-503"])
def test_refusals_and_errors_show_the_servers_message(editor, query, said):
    editor.evaluate("document.querySelectorAll('.cbec-error').forEach(e => e.remove())")   # the last query's message
    run(editor, query)
    editor.wait_for_selector(".cbec-error >> visible=true", timeout=30000)
    assert said in editor.locator(".cbec-error:visible").inner_text()
    assert editor.seen["remote"] == []


def test_capped_result_says_so(page, server):
    open_editor(page, server)
    run(page, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o")
    results(page)
    note = page.locator(".cbec-note:visible")
    assert note.count() == 1
    assert f"最多返回 {ROW_LIMIT} 条" in note.inner_text()
    assert page.locator("table.cbec tbody tr:visible").count() == ROW_LIMIT
    assert no_page_scroll(page)


def test_resource_iris_link_to_entity_pages_with_labels(page, server):
    open_editor(page, server, lang="en")
    run(page, "PREFIX cbr: <https://w3id.org/cbec-kg/resource/> SELECT ?x WHERE { VALUES ?x { cbr:aliexpress } }")
    results(page)
    link = page.locator("table.cbec a.entity:visible").first
    assert link.get_attribute("href") == "/entity/aliexpress?lang=en"
    assert link.inner_text() == "AliExpress"


def test_share_link_opens_its_query(page, server):
    """YASGUI's share links carry the query after '#'; ?query= names a saved query."""
    from urllib.parse import quote

    page.goto(f"{server}/editor?lang=en#query=" + quote("SELECT ?n WHERE { VALUES ?n { 42 } }")
              + "&endpoint=" + quote(server + "/sparql"))
    page.wait_for_selector(".yasqe .CodeMirror")
    run(page)
    results(page)
    assert page.locator("table.cbec tbody tr:visible").inner_text().split("\t") == ["1", "42"]


def test_missing_yasgui_is_said_in_the_page(page, server):
    """Without 'npm ci' in web/, /assets/yasgui/ answers 404: the page says what to do, the menu stays."""
    script = "**/assets/yasgui/yasgui.min.js"
    # while a route is set, Playwright loads with the cache off: the script is asked of the server, and answered 404
    page.route(script, lambda route: route.fulfill(status=404, body="no asset"))
    try:
        page.goto(f"{server}/editor")
        page.wait_for_selector("#yasgui .cbec-error")
        assert "npm ci" in page.locator("#yasgui .cbec-error").inner_text()
        assert page.locator("a.saved-query").count() > 0
    finally:
        page.unroute(script)            # the module's tab, for the tests after this one
