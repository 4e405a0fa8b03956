"""An analyst's walk over the served workbench: every same-origin link reachable from ``/`` and ``/?lang=en``
(and every script, style sheet and image the pages load). Every served HTML page, the views and charts
included, has the top bar and its language switch.

The crawl follows the links of HTML pages only (breadth first, de-duplicated by path and query, at most
``MAX_URLS`` addresses and ``PER_KIND`` pages of a kind in a language, so entity and statistics pages are
sampled but every route kind is reached). It asserts that every link answers 200 or a redirect to a page
that answers, that no page answers 5xx, that every HTML page has a ``<title>``, and that an English page
uses English where the graph has it: no Chinese in its ``<h1>``, ``<h2>``, ``<th>`` or ``<nav>`` text except
names of things the graph labels in Chinese only (and the language switch, 中文, and an entity's Chinese
name marked as such next to its English one), and no Chinese in a link to an entity that has an English label.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pyoxigraph
import pytest
from starlette.testclient import TestClient

from kg.model.ontology import CBR
from kg.query.engine import Limits
from kg.web.serve import create_app

ORIGIN = "http://testserver"
MAX_URLS = 2000
PER_KIND = {"entity": 90, "statistics": 40, "statistics.csv": 6, "statistics.json": 6, "section": 60,
            "browse": 50, "editor": 12, "search": 20}
ROUTE_KINDS = {"", "search", "entity", "section", "sections", "browse", "statistics", "statistics.csv",
               "statistics.json", "conflicts", "editor", "views", "static"}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WATCHED = {"h1", "h2", "th", "nav"}
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """A page's links, title, language, watched text (h1/h2/th/nav) and the text of its links to entities."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = ""
        self.lang = ""
        self.top_bar = False                 # the workbench's top bar, <nav class="top">
        self.switch = ""                     # the href of its language switch
        self.watched: list[str] = []         # text runs inside h1/h2/th/nav, outside the marked exceptions
        self.entity_links: list[tuple[str, str]] = []
        self.marked: list[str] = []          # text deliberately in Chinese: the language switch, a .other name
        self._stack: list[tuple[str, bool]] = []     # (tag, this element is a marked exception)
        self._marked_open = 0                # elements of the stack that are marked exceptions
        self._watched_open = 0               # elements of the stack that are h1/h2/th/nav
        self._in_title = False
        self._anchors: list[list] = []             # open <a> elements: [href of an entity link or None, text]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "title":
            self._in_title = True
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        if tag in ("script", "img") and a.get("src") and not a["src"].startswith("data:"):
            self.links.append(a["src"])
        if tag == "a":
            entity = urlsplit(a.get("href") or "").path.startswith("/entity/")
            self._anchors.append([a["href"] if entity else None, ""])
        classes = (a.get("class") or "").split()
        if tag == "nav" and "top" in classes:
            self.top_bar = True
        if tag == "a" and "lang-switch" in classes:
            self.switch = a.get("href") or ""
        marked = "lang-switch" in classes or "other" in classes or a.get("lang") == "zh"
        if tag not in VOID:
            self._stack.append((tag, marked))
            self._marked_open += marked
            self._watched_open += tag in WATCHED
        if marked:
            self.marked.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._anchors:
            href, text = self._anchors.pop()
            if href:
                self.entity_links.append((href, text))
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                for closed, marked in self._stack[i:]:
                    self._marked_open -= marked
                    self._watched_open -= closed in WATCHED
                del self._stack[i:]
                break

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        marked = self._marked_open > 0
        if marked and self.marked:
            self.marked[-1] += data
        if not marked:
            for anchor in self._anchors:
                anchor[1] += data
        if not marked and self._watched_open:
            self.watched.append(data)


def kind(path: str) -> str:
    return path.strip("/").split("/")[0]


def is_english(url: str, page: Page) -> bool:
    split = urlsplit(url)
    return "lang=en" in split.query.split("&") or split.path.startswith("/views/en/") or page.lang == "en"


@pytest.fixture(scope="module")
def names(graph_file):
    """(Chinese labels of nodes with no English label, every Chinese label, {node: its English label}), the nodes as
    Oxigraph writes them (``<iri>``, ``_:id``): the build's labels read by Oxigraph, the pages' own reader being
    rdflib's."""
    labels: dict[str, list] = {}
    with open(graph_file, "rb") as fh:
        for triple in pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE):
            if triple.predicate.value == LABEL:
                labels.setdefault(str(triple.subject), []).append(triple.object)
    zh_only, zh_any, english = set(), set(), {}
    for node, found in labels.items():
        en = [x.value for x in found if getattr(x, "language", None) == "en"]
        zh = {x.value for x in found if getattr(x, "language", None) == "zh"}
        zh_any |= zh
        if en:
            english[node] = en[0]
        else:
            zh_only |= zh
    return zh_only, zh_any, english


@pytest.fixture(scope="module")
def client(built):
    """One served workbench for the module's requests (its query worker and page graph started once)."""
    from kg.project import Project

    app = create_app(Project(built.dist.parent), Limits(timeout=5.0, workers=1))
    with TestClient(app, base_url=ORIGIN) as started:
        yield started


@pytest.fixture(scope="module")
def crawl(client):
    """{url: (status, location, Page or None, referrer)} for the crawl from / and /?lang=en."""
    seen: dict[str, tuple[int, str, Page | None, str]] = {}
    counts: Counter = Counter()
    queue = deque([("/", ""), ("/?lang=en", "")])
    queued = {"/", "/?lang=en"}
    while queue and len(seen) < MAX_URLS:
        url, referrer = queue.popleft()
        response = client.get(url, follow_redirects=False)
        page = None
        if response.status_code == 200 and response.headers.get("content-type", "").startswith("text/html"):
            page = Page()
            page.feed(response.text)
        location = response.headers.get("location", "")
        seen[url] = (response.status_code, location, page, referrer)
        targets = [location] if location else []
        targets += page.links if page else []
        for href in targets:
            full = urljoin(ORIGIN + url, href)
            split = urlsplit(full)
            if f"{split.scheme}://{split.netloc}" != ORIGIN or split.path.startswith("/sparql"):
                continue
            key = split.path + (f"?{split.query}" if split.query else "")
            lang = "en" if "lang=en" in split.query or split.path.startswith("/views/en/") else "zh"
            group = (kind(split.path), lang)
            if key in queued or counts[group] >= PER_KIND.get(group[0], 10 ** 6):
                continue
            counts[group] += 1
            queued.add(key)
            queue.append((key, url))
    return seen


def test_the_crawl_reaches_every_route_kind(crawl):
    reached = {kind(urlsplit(u).path) for u in crawl}
    assert ROUTE_KINDS <= reached, ROUTE_KINDS - reached
    assert sum(1 for u in crawl if urlsplit(u).path.startswith("/entity/")) >= 100


def test_every_link_answers(crawl):
    bad = {u: (s, ref) for u, (s, loc, _, ref) in crawl.items() if s != 200 and not (s in (301, 302, 303, 307, 308) and loc)}
    assert bad == {}, bad
    for url, (_, location, _, _) in crawl.items():
        if location:
            target = urljoin(ORIGIN + url, location)
            key = urlsplit(target)._replace(scheme="", netloc="").geturl()
            assert crawl.get(key, (200,))[0] == 200, f"{url} redirects to {location}, which answers {crawl[key][0]}"


def test_no_page_answers_5xx(crawl):
    assert [u for u, (s, *_) in crawl.items() if s >= 500] == []


def test_every_html_page_has_a_title(crawl):
    pages = {u: p for u, (_, _, p, _) in crawl.items() if p}
    assert len(pages) > 300
    untitled = [u for u, p in pages.items() if not p.title.strip()]
    assert untitled == []


def test_every_html_page_has_the_top_bar_and_a_language_switch(crawl):
    pages = {u: p for u, (_, _, p, _) in crawl.items() if p}
    assert [u for u, p in pages.items() if not p.top_bar] == []
    assert [u for u, p in pages.items() if not p.switch] == []
    assert any(urlsplit(u).path.startswith("/views/") for u in pages)      # the served views included


def stray_chinese(text: str, allowed: set[str]) -> list[str]:
    """Runs of Chinese in ``text`` that are not part of an allowed name."""
    for name in sorted(allowed, key=len, reverse=True):
        if HAN.search(name) and name in text:
            text = text.replace(name, " ")
    return HAN.findall(text)


def test_english_pages_head_their_parts_in_english(crawl, names):
    zh_only, zh_any, _ = names
    english = {u: p for u, (_, _, p, _) in crawl.items() if p and is_english(u, p)}
    assert len(english) > 150
    wrong = {}
    for url, page in english.items():
        found = stray_chinese(" ".join(page.watched), zh_only)
        found += [m for m in page.marked if m.strip() not in zh_any | {"中文"}]
        if found:
            wrong[url] = found[:5]
    assert wrong == {}, dict(list(wrong.items())[:10])


def test_english_pages_name_entities_by_their_english_label(crawl, names):
    _, _, english_labels = names
    english = {u: p for u, (_, _, p, _) in crawl.items() if p and is_english(u, p)}
    checked, wrong = 0, {}
    for url, page in english.items():
        for href, text in page.entity_links:
            node = f"<{CBR}{unquote(urlsplit(href).path[len('/entity/'):]).removesuffix('.json')}>"
            if node not in english_labels or not text.strip():
                continue
            checked += 1
            english_label = english_labels[node]
            if HAN.search(text) and not HAN.search(english_label):
                wrong.setdefault(url, []).append((href, text.strip()))
    assert checked > 500
    assert wrong == {}, dict(list(wrong.items())[:10])


def test_the_checks_see_chinese_where_english_is_due():
    page = Page()
    page.feed('<html lang="en"><title>t</title><nav class="top"><a class="lang-switch" href="?lang=zh">中文</a></nav>'
              '<h1>China<span class="other">中国</span></h1><h2>事实</h2><table><tr><th>Value 数值</th></tr></table>'
              '<p><a href="/entity/CN?lang=en">中国</a> <a href="/entity/x?lang=en">某公司</a></p>')
    assert page.top_bar and page.switch == "?lang=zh" and page.marked == ["中文", "中国"]
    assert stray_chinese(" ".join(page.watched), {"某公司"}) == ["事实", "数值"]
    assert stray_chinese("Alibaba 某公司 sells", {"某公司"}) == []
    assert page.entity_links == [("/entity/CN?lang=en", "中国"), ("/entity/x?lang=en", "某公司")]


def test_a_dead_view_link_gets_the_workbench_error_page(client):
    for path, lang in (("/views/no-such.html", "zh"), ("/views/en/no-such.html", "en")):
        response = client.get(path)
        assert response.status_code == 404
        page = Page()
        page.feed(response.text)
        assert page.lang == lang and page.top_bar and "no-such.html" in response.text, path
