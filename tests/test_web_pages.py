"""The workbench's pages (kg/web/pages.py): home, entity pages, the report's parts, browsing by class, bad input."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pyoxigraph
import pytest
from rdflib import OWL, RDF
from starlette.testclient import TestClient

from kg.model.ontology import CBO, CBR
from kg.query.engine import Limits
from kg.web.serve import create_app


@pytest.fixture(scope="module")
def client(built):
    from kg.project import Project

    app = create_app(Project(built.dist.parent), Limits(timeout=5.0, workers=1))
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def store(graph_file) -> pyoxigraph.Store:
    """The build's graph read by Oxigraph (in memory): what the pages are checked against."""
    store = pyoxigraph.Store()
    with open(graph_file, "rb") as fh:
        store.bulk_load(fh, pyoxigraph.RdfFormat.TURTLE)
    return store


def node(term) -> pyoxigraph.NamedNode:
    """An rdflib IRI as Oxigraph's."""
    return pyoxigraph.NamedNode(str(term))


def objects(store: pyoxigraph.Store, subject, predicate) -> list:
    return [q.object for q in store.quads_for_pattern(subject, node(predicate), None)]


def subjects(store: pyoxigraph.Store, predicate, obj) -> list:
    return [q.subject for q in store.quads_for_pattern(None, node(predicate), node(obj))]


def rows(page: str) -> list[str]:
    """The table rows of a page, as text with tags dropped (links' text kept)."""
    return [html.unescape(re.sub(r"<[^>]+>", " ", r)) for r in re.findall(r"<tr>(.*?)</tr>", page, re.S)]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# -- entity pages --------------------------------------------------------------------------------

def test_inverse_relation_is_worded_by_the_inverse_property(client):
    zh = client.get("/entity/菜鸟")
    assert zh.status_code == 200
    assert any(squash(r).startswith("隶属于 阿里巴巴") for r in rows(zh.text))
    assert "旗下机构" not in zh.text                      # the forward wording, wrong from Cainiao's side
    en = client.get("/entity/cainiao?lang=en")
    assert any(squash(r).startswith("subsidiary of Alibaba") for r in rows(en.text))
    # and Alibaba's own page keeps the forward wording
    assert any(squash(r).startswith("旗下机构 菜鸟网络") for r in rows(client.get("/entity/alibaba").text))


def test_relation_without_inverse_is_worded_as_of(client, store):
    inverse = {t for q in store.quads_for_pattern(None, node(OWL.inverseOf), None) for t in (q.subject, q.object)}
    assert node(CBO.involves) not in inverse                # 双11 涉及方 菜鸟: no inverse in the ontology
    assert node(CBR.cainiao) in objects(store, node(CBR["singles-day"]), CBO.involves)
    zh = [squash(r) for r in rows(client.get("/entity/cainiao").text)]
    en = [squash(r) for r in rows(client.get("/entity/cainiao?lang=en").text)]
    assert any(r.startswith("双11 促销节 的 涉及方") for r in zh)
    # English: a verb label reads subject first ("Singles' Day involves Cainiao Network"), a noun one as "P of X"
    assert any(r.startswith("Singles' Day shopping festival involves Cainiao Network") for r in en), en
    russia = [squash(x) for x in rows(client.get("/entity/RU?lang=en").text)]
    assert any(r.startswith("first-tier market of AliExpress") for r in russia), russia


def test_each_row_shows_its_own_places(client, store):
    card = client.get("/entity/cainiao.json").json()["entities"][0]
    assert [p["id"] for p in card["places"]] == ["s2-4", "s3-1"]
    statements = {}
    for st in subjects(store, RDF.type, RDF.Statement):
        if node(CBR.cainiao) in objects(store, st, RDF.object):
            key = objects(store, st, RDF.subject)[0].value[len(str(CBR)):]
            statements[key] = sorted(p.value[len(str(CBR)):] for p in objects(store, st, CBO.statedIn))
    shown = {f["target"]: sorted(p["id"] for p in f["places"]) for f in card["inbound"]}
    assert statements and all(shown[k] == v for k, v in statements.items())
    assert any(len(v) == 1 for v in shown.values())        # a row, not the entity's whole list
    page = client.get("/entity/cainiao").text
    assert '<a class="place" href="/section/s3-1?lang=zh">三（一）平台生态</a>' in page


def test_same_named_entities_are_told_apart_by_class(client):
    page = client.get("/entity/DEKO")
    assert page.status_code == 200
    assert page.text.count('<section class="card"') == 2
    names = [squash(html.unescape(re.sub(r"<[^>]+>", " ", h))) for h in re.findall(r"<h1>(.*?)</h1>", page.text, re.S)]
    assert sorted(names) == ["DEKO 企业", "DEKO 品牌"]
    company = client.get("/entity/deko").text
    assert any(squash(r).startswith("拥有品牌 DEKO 品牌") for r in rows(company))


def test_figure_is_shown_in_its_sentence_with_the_number_marked(client, report_source):  # the sentence needs the text
    page = client.get("/entity/GB").text
    m = re.search(r'<q class="sentence" title="([^"]*)">([^<]*)<mark>400</mark>([^<]*)</q>', page)
    assert m, "no sentence with 400 marked"
    assert "英国" in m.group(2) and "8.2" in m.group(3)
    assert html.unescape(m.group(1)) == html.unescape(m.group(2) + "400" + m.group(3))   # the hover text
    body = client.get("/entity/aliexpress").text          # a body-text figure: a sentence with a full stop
    marked = re.findall(r"<q class=\"sentence\"[^>]*>([^<]*)<mark>([^<]+)</mark>([^<]*)</q>", body)
    assert marked and any(after.endswith("。") for _, _, after in marked)


def test_english_page_has_english_headers(client):
    page = client.get("/entity/aliexpress?lang=en").text
    assert '<html lang="en">' in page
    for header in ("Facts", "Figures", "Value", "Period", "In the report", "Source", "Browse"):
        assert f">{header}" in page, header
    for chinese in ("事实", "统计数据", "数据来源", "原文"):
        assert f">{chinese}" not in page, chinese
    assert "first-tier market" in page and "Russia" in page
    assert 'href="/entity/aliexpress?lang=zh"' in page     # the language switch keeps the page


def test_json_twin_has_the_same_rows(client, report_source):
    card = client.get("/entity/GB?format=json").json()["entities"][0]
    figure = next(f for f in card["figures"] if f["id"] == "t1-GB-sales")
    assert (figure["value"], figure["unit"], figure["period"]) == ("400", "亿美元", "2018")
    assert figure["sentence"]["number"] == "400" and figure["places"][0]["id"] == "table1"
    assert client.get("/entity/GB.json").json() == client.get("/entity/GB?format=json").json()


def test_unknown_entity_is_a_404_with_suggestions(client):
    r = client.get("/entity/Cainao")
    assert r.status_code == 404 and 'href="/entity/cainiao?lang=zh"' in r.text
    j = client.get("/entity/Cainao.json")
    assert j.status_code == 404 and any("cainiao" in s["ids"] for s in j.json()["suggestions"])


# -- sections, home, browse --------------------------------------------------------------------------------

def test_section_page_lists_its_statistics_and_entities(client, report_source):
    page = client.get("/section/table1").text
    assert "表1：2018 年 B2C 跨境电商交易额前十国家/地区" in page
    assert 'href="/entity/t1-GB-sales?lang=zh"' in page and "<mark>400</mark>" in page
    data = client.get("/section/s2-2-2.json").json()
    assert data["part"]["number"] == "二（二）2" and [a["id"] for a in data["trail"]] == ["s2", "s2-2"]
    figures = {f["id"]: f for f in data["figures"]}
    assert figures["s2-2-2-cn-us-b2c-cb-sales-share-2018"]["sentence"]["number"] == "45.8"
    assert "CN" in {e["id"] for e in data["entities"]}
    assert all(e["kind"] for e in data["entities"])            # resources of a class, not rdf:Statements
    relations = client.get("/section/s2-4.json").json()["relations"]
    assert any(s["id"] == "alibaba" and o["id"] == "cainiao" for s, _, o in relations)
    assert "table1" in [c["id"] for c in data["children"]]
    assert 'href="/section/s2-4?lang=zh"' in client.get("/entity/s2-4").text      # a part's card links its page


def test_sections_list_every_part_once(client, store):
    parts = client.get("/sections/?format=json").json()["parts"]
    ids = [p["id"] for p in parts]
    expected = {s.value[len(str(CBR)):] for c in (CBO.Section, CBO.Table, CBO.Figure, CBO.Footnote)
                for s in subjects(store, RDF.type, c)}
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert ids.index("s2") < ids.index("s2-4") < ids.index("s3")
    assert "二（四）速卖通案例" in client.get("/sections/").text


def test_home_lists_saved_queries_and_links_the_tools(client):
    page = client.get("/").text
    assert "2018 年 B2C 跨境电商交易额前十国家/地区" in page
    for link in ('href="/browse/?lang=zh"', 'href="/sections/?lang=zh"', 'href="/editor?lang=zh"',
                 'href="/statistics?lang=zh"', 'action="/search"'):
        assert link in page
    assert "Saved queries" in client.get("/?lang=en").text


def test_browse_counts_equal_the_sparql_count(client):
    classes = client.get("/browse/?format=json").json()["classes"]
    assert len(classes) > 30
    for c in classes:
        query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{CBO}{c['id']}> }}"
        r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == c["count"], c["id"]
    company = client.get("/browse/Company.json").json()
    assert len(company["members"]) == company["class"]["count"] > 5
    assert {"id": "cainiao", "name": "菜鸟网络", "other": "Cainiao Network", "kind": "企业"} in company["members"]
    page = client.get("/browse/Company?lang=en").text
    assert 'href="/entity/cainiao?lang=en">Cainiao Network</a>' in page


# -- bad input ------------------------------------------------------------------------------------

ROUTES = ["/entity/{}", "/section/{}", "/browse/{}"]
BAD = [("", 400), ("x" * 10_000, 414), ("a\x01b", 400), ("a\u200bb", 400), ("<script>alert(1)</script>", 404),
       ("no-such-thing", 404)]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("key,status", BAD, ids=["empty", "10kB", "control", "zero-width", "script", "unknown"])
def test_bad_ids_get_a_clear_4xx(client, route, key, status):
    r = client.get(route.format(quote(key)))
    if key == "" and route == "/browse/{}":
        assert r.status_code == 200                       # /browse/ is the list of classes
        return
    assert r.status_code == status
    assert "<script>alert" not in r.text
    assert "<main>" in r.text and len(r.text) < 40_000
    j = client.get(route.format(quote(key)) + ".json") if key else None
    if j is not None:
        assert j.status_code in (status, 404) and "error" in j.json()


@pytest.mark.parametrize("path", ["/", "/entity/cainiao", "/section/s2-4", "/sections/", "/browse/", "/browse/Company"])
@pytest.mark.parametrize("query,message", [("lang=fr", "unknown language"), ("lang=%3Cscript%3E", "unknown language"),
                                           ("format=xml", "unknown format")])
def test_bad_parameters_get_a_400(client, path, query, message):
    r = client.get(f"{path}?{query}")
    assert r.status_code == 400 and message in r.text and "<script>" not in r.text.split("<body>", 1)[1].split("<script src", 1)[0]


def test_every_page_extends_base(client):
    for path in ("/", "/entity/cainiao", "/section/s2-4", "/sections/", "/browse/", "/browse/Company", "/entity/nope"):
        page = client.get(path).text
        assert '<nav class="top">' in page and 'class="lang-switch"' in page, path
