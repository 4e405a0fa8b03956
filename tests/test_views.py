"""Views: drawn from the graph, self-contained, and safe with any label."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg.model.ontology import CBO, CBR
from kg.present.charts import SPECS, chart
from kg.present.views import THEMES, entity_view, memory_copy, render, slice_view, theme_view
from kg.query.saved import SavedQuery, open_graph, rows, run
from kg.rdfio.serialize import oxigraph_store
from kg.rdfio.store import as_graph, memory_graph

#: an attribute, CSS url() or @import that loads from another address; the lookahead names the first letter of every
#: alternative (so it matches what the alternatives alone match) and lets the search skip other positions: 2x faster
REMOTE = re.compile(r"""(?=[sahu@])(?:(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import)""",
                    re.IGNORECASE)


@pytest.fixture(scope="module")
def drawn(built) -> Graph:
    """The built graph as the build's views read it (kg.present.views.memory_copy: rdflib's memory store, whose many
    small lookups are faster than through the Oxigraph store)."""
    return memory_copy(built.graph)


@pytest.fixture(scope="module")
def stored(built) -> Graph:
    """The asserted graph read back from cbec-kg.ttl into Oxigraph, once for the module (the tests only read it)."""
    return open_graph(built.dist / "cbec-kg.ttl", inferred=False)


@pytest.fixture(scope="module")
def asserted(stored) -> Graph:
    """``stored`` copied whole into rdflib's memory store, as the build's views copy the graph they draw (rdflib's
    Turtle parser took 2.5x as long), once for the module (the tests only read it)."""
    return memory_graph(oxigraph_store(stored))


@pytest.fixture(scope="module")
def queried(built) -> Graph:
    """cbec-kg.ttl and its inferences in Oxigraph, as the charts' tests query them, once for the module."""
    return open_graph(built.dist / "cbec-kg.ttl")


@pytest.fixture(scope="module")
def overview(drawn):
    return slice_view(drawn, "zh")


@pytest.fixture(scope="module")
def themed(asserted):
    """``theme_view`` on the asserted graph, each (theme, language) drawn once for the module (the tests only read
    the views)."""
    made: dict = {}

    def view(name: str, lang: str = "zh"):
        if (name, lang) not in made:
            made[name, lang] = theme_view(asserted, name, lang)
        return made[name, lang]

    return view


@pytest.fixture(scope="module")
def relations(asserted):
    return Relations.of(asserted)


def test_overview_shows_exactly_its_subgraph(built, overview):
    g = built.graph
    view = overview
    ids = {n["id"] for n in view.network.nodes} | {n.id for n in view.loose}
    expected = {str(s) for cls in ("BusinessModel", "OperatingType", "Platform", "Company")
                for s in g.subjects(RDF.type, CBO[cls])}
    expected |= {str(o) for s in g.subjects(CBO.statedIn, CBR.table1) for o in g.objects(s, CBO.about)}
    assert ids == expected
    edges = {(e["from"], e["to"]) for e in view.network.edges}
    assert (str(CBR.aliexpress), str(CBR.alibaba)) in edges          # operatedBy (operates, its inverse, not drawn)
    assert (str(CBR.alibaba), str(CBR.aliexpress)) not in edges
    assert (str(CBR.B2B2C), str(CBR.B2B)) in edges                    # derivedFrom
    assert_edges_are_the_relations(Relations.of(g), view)
    labels = {n["label"] for n in view.network.nodes}
    assert {"速卖通", "阿里巴巴", "企业对企业", "中国香港", "平台型"} <= labels


def test_tooltips_carry_figures_and_places(overview):
    view = overview
    gb = next(n for n in view.network.nodes if n["id"] == str(CBR.GB))
    assert "400" in gb["title"] and "表1" in gb["title"]


def test_english_labels(drawn):
    view = slice_view(drawn, "en")
    assert "AliExpress" in {n["label"] for n in view.network.nodes}


def test_html_references_no_remote_address(built):
    pages = sorted((built.dist / "views").rglob("*.html"))
    assert len(pages) >= 30                                  # both languages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not REMOTE.search(text), f"{page.name}: {REMOTE.search(text).group(0)}"
    html = (built.dist / "views" / "overview.html").read_text(encoding="utf-8")
    assert "vis.Network" in html and "new vis.DataSet" in html


def test_markup_in_labels_is_escaped(drawn):
    evil = '<script>alert("x")</script>'
    label, markup = (CBR.taobao, RDFS.label, Literal("淘宝", lang="zh")), (CBR.taobao, RDFS.label, Literal(evil, lang="zh"))
    assert label in drawn and markup not in drawn
    drawn.add(markup)                   # the module's graph changed in place (a copy cost more than the view), then restored
    drawn.remove(label)
    try:
        html = render(slice_view(drawn, "zh"), "zh")
    finally:
        drawn.remove(markup)
        drawn.add(label)
    assert evil not in html
    assert "\\u003cscript\\u003e" in html   # JSON-escaped inside the data


# --------------------------------------------------------------------------- themed views, charts, entity views



ROOT = Path(__file__).resolve().parent.parent
PREFIX = """PREFIX cbo: <https://w3id.org/cbec-kg/ontology#> PREFIX cbr: <https://w3id.org/cbec-kg/resource/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
HIDE = """FILTER NOT EXISTS { ?n a/rdfs:subClassOf* ?h .
  VALUES ?h { cbo:Statistic cbo:ReportPart cbo:Report cbo:Source cbo:Measure cbo:Unit } }"""
# Each theme's node set, written independently of kg.views as one SPARQL query.
THEME_QUERIES = {
    "brands": "SELECT DISTINCT ?n WHERE { { ?n a cbo:Brand } UNION { ?b a cbo:Brand . ?b cbo:brandOf|cbo:sellsOn ?n }"
              " UNION { ?n cbo:hasBrand ?b } " + HIDE + " }",
    "policy": "SELECT DISTINCT ?n WHERE { { ?n a/rdfs:subClassOf* cbo:Policy } UNION { ?p a/rdfs:subClassOf* cbo:Policy ."
              " ?p cbo:appliesTo|cbo:implementedIn|cbo:issuedBy|cbo:partOfPolicy ?n } " + HIDE + " }",
    "markets": "SELECT DISTINCT ?n WHERE { ?n a/rdfs:subClassOf* cbo:Place " + HIDE + " }",
    "categories": "SELECT DISTINCT ?n WHERE { ?n a cbo:ProductCategory }",
}
SAMPLES = {
    "alibaba": {"阿里巴巴", "速卖通", "菜鸟网络", "蚂蚁金服", "俄罗斯"},
    "policy": {"郑州", "海关总署", "世界电子贸易平台", "马来西亚"},
    "markets": {"中国香港", "亚太", "中东"},
    "business-models": {"企业对企业", "综合型", "亚马逊"},
    "agreements-events": {"中美第一阶段贸易协定", "新冠肺炎疫情", "中美贸易战"},
    "categories": {"手机与通讯设备", "女士服装"},
    "brands": {"华为", "安克（ANKER）"},
}


def test_every_theme_has_nodes_edges_and_expected_labels(themed, relations):
    for name, _, _ in THEMES:
        view = themed(name, "zh")
        assert_edges_are_the_relations(relations, view)
        labels = {n["label"] for n in view.network.nodes} | {n.label for n in view.loose}
        assert SAMPLES[name] <= labels, (name, SAMPLES[name] - labels)


def test_theme_nodes_match_an_independent_query(asserted, themed):
    g = asserted
    for name, query in THEME_QUERIES.items():
        expected = {str(r[0]) for r in g.query(PREFIX + query) if str(r[0]).startswith("https://w3id.org/cbec-kg/resource/")}
        view = themed(name)
        got = {n["id"] for n in view.network.nodes} | {n.id for n in view.loose}
        assert got == expected, (name, sorted(got ^ expected)[:10])


def test_charts_plot_exactly_the_queries_answers(built, queried):
    g = queried
    for spec in SPECS:
        query = SavedQuery.read(ROOT / "queries" / f"{spec.query}.rq")
        c = chart(g, spec, query, "zh")
        answer = rows(run(g, query.text, "zh"))
        if spec.kind == "bump":
            expected = {(r[spec.group], r[spec.x], Decimal(r["rank"])) for r in answer}
        else:
            expected = {(key, r[spec.x], Decimal(r[key].replace(",", ""))) for key in spec.series for r in answer}
        assert set(c.points) == expected, spec.name
        assert len(c.points) == len(expected)
        assert "数据来源" in c.source
        html = (built.dist / "views" / f"{spec.name}.html").read_text(encoding="utf-8")
        for _series, _x, value in c.points[:3]:
            assert f'data-value="{value}"' in html


def test_table1_chart_values(built):
    html = (built.dist / "views" / "chart-table1.html").read_text(encoding="utf-8")
    assert 'data-x="中国香港" data-value="350"' in html and 'data-x="荷兰" data-value="10"' in html
    assert "UNCTAD" in html


def test_chart_escapes_labels(built):
    copy = pyoxigraph.Store()                            # the build's graph, copied store to store (the charts ask Oxigraph)
    copy.bulk_extend(oxigraph_store(built.graph))
    g = as_graph(copy)
    g.remove((CBR["cat-womens-clothing"], RDFS.label, Literal("女士服装", lang="zh")))
    g.add((CBR["cat-womens-clothing"], RDFS.label, Literal("<script>x</script>", lang="zh")))
    spec = next(s for s in SPECS if s.name == "chart-table3")
    c = chart(g, spec, SavedQuery.read(ROOT / "queries" / f"{spec.query}.rq"), "zh")
    assert "<script>x</script>" not in c.svg and "&lt;script&gt;" in c.svg


def test_entity_view_is_the_neighbourhood(asserted):
    g = asserted
    view = entity_view(g, CBR.cainiao, 1)
    ids = {n["id"] for n in view.network.nodes}
    neighbours = {str(o) for o in g.objects(CBR.cainiao) if str(o).startswith(str(CBR))} | \
                 {str(s) for s in g.subjects(None, CBR.cainiao) if str(s).startswith(str(CBR))}
    hidden = {CBO[c] for c in ("Statistic", "Section", "Table", "Figure", "Footnote", "Report", "Source", "Measure", "Unit")}
    neighbours = {n for n in neighbours if not set(g.objects(URIRef(n), RDF.type)) & (hidden | {RDF.Statement})}
    assert ids == neighbours | {str(CBR.cainiao)}
    assert len(entity_view(g, CBR.cainiao, 2).network.nodes) > len(ids)


def test_gallery_links_every_view_and_chart(built):
    index = (built.dist / "views" / "index.html").read_text(encoding="utf-8")
    for page in (built.dist / "views").glob("*.html"):
        if page.name != "index.html" and not page.name.startswith("entity-"):
            assert f'href="{page.name}"' in index, page.name


def test_view_command_writes_the_file(built, tmp_path, capsys, monkeypatch):
    from kg.cli import main

    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["view", "Cainiao Network", "--depth", "1", "--out", str(tmp_path), "--no-open", "--lang", "en"]) == 0
    page = tmp_path / "entity-cainiao.html"
    assert page.exists() and "Alibaba" in page.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- what an analyst saw wrong (issue 12)

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


def partners_of(g) -> dict:
    """Property -> its inverses, read from the ontology (a symmetric property is its own)."""
    found: dict = {}
    for p, q in g.subject_objects(OWL.inverseOf):
        found.setdefault(p, set()).add(q)
        found.setdefault(q, set()).add(p)
    for p in g.subjects(RDF.type, OWL.SymmetricProperty):
        found.setdefault(p, set()).add(p)
    return found


@dataclass
class Relations:
    """What ``assert_edges_are_the_relations`` reads of a graph, read once per graph: its cbo: relations (rdf:type
    aside), each property's inverses, and (narrower, broader) for every rdfs:subPropertyOf+ pair."""

    triples: list
    partners: dict
    narrower: set

    @classmethod
    def of(cls, g) -> Relations:
        narrower = {(URIRef(q), URIRef(p)) for q, p in g.query(
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?q ?p WHERE { ?q rdfs:subPropertyOf+ ?p }")}
        return cls([(s, p, o) for s, p, o in g if p != RDF.type and str(p).startswith(str(CBO))], partners_of(g), narrower)


def assert_edges_are_the_relations(relations: Relations, view, centre=None):
    """Drawn edges are the graph's cbo: relations among the view's nodes, each relation stated both ways (by a
    property and its inverse) drawn once; every drawn node has an edge; a listed-apart node has no relation."""
    drawn = {URIRef(n["id"]) for n in view.network.nodes}
    apart = {URIRef(n.id) for n in view.loose}
    members = drawn | apart
    stated = {(s, p, o) for s, p, o in relations.triples if s in members and o in members}
    edges = {(URIRef(e["from"]), URIRef(e["relation"]), URIRef(e["to"])) for e in view.network.edges}
    assert edges <= stated, view.name
    partners, narrower = relations.partners, relations.narrower
    for s, p, o in stated:
        twins = {(o, q, s) for q in partners.get(p, ())} - {(s, p, o)}
        specific = {(s, q, o) for q, general in narrower if general == p}
        assert (s, p, o) in edges or twins & edges or specific & stated, (view.name, s, p, o)
        assert not ((s, p, o) in edges and twins & edges), (view.name, "drawn twice", s, p, o)
        assert not ((s, p, o) in edges and specific & stated), (view.name, "said by a narrower relation", s, p, o)
    ends = {s for s, _, _ in edges} | {o for _, _, o in edges}
    assert drawn - ends <= ({centre} if centre else set()), (view.name, sorted(drawn - ends)[:5])
    assert not {x for s, _, o in stated for x in (s, o)} & apart, view.name


def tooltip_of(view, node) -> list[str]:
    return next(n["title"] for n in view.network.nodes if n["id"] == str(node)).split("\n")


def test_aliexpress_tooltip_names_categories_once_each_and_is_capped(asserted, themed):
    from kg.present.tooltips import CAP

    g = asserted
    view = themed("alibaba", "zh")
    lines = tooltip_of(view, CBR.aliexpress)
    assert len(lines) == len(set(lines))
    figures = [line for line in lines if ": " in line]
    assert 0 < len(figures) <= CAP
    stats = set(g.subjects(CBO.about, CBR.aliexpress))
    assert len(stats) > CAP                                  # so the cap is at work: the rest is counted
    assert len(figures) == CAP
    more = [int(m.group(1)) for line in lines for m in [re.fullmatch(r"另有 (\d+) 项数字，见实体页", line)] if m]
    assert len(more) == 1 and 0 < more[0] <= len(stats) - CAP    # identical lines (same figure twice) count once
    # each top-five count names its category: no two lines say "7" without saying of what
    counts = [line for line in lines if line.startswith("速卖通畅销品前五上榜次数")]
    assert counts and all(any(label in line for label in CATEGORY_LABELS) for line in counts), counts
    # no more than the cap in English either, with the categories' English names
    en = tooltip_of(themed("alibaba", "en"), CBR.aliexpress)
    assert len(en) == len(set(en)) and any("Mobile phones and telecommunications" in line for line in en)


CATEGORY_LABELS = ("手机与通讯设备", "消费电子设备", "家庭与花园用具", "运动与娱乐设施", "女士服装", "汽车与摩托车",
                   "电脑与办公用品", "首饰及配饰", "母婴产品")


def test_alibaba_tooltip_marks_the_table2_total_as_a_total(asserted, themed):
    g = asserted
    total = CBR["t2-top10-b2c-revenue-total"]
    assert (total, CBO.about, CBR.alibaba) in g and len(set(g.objects(total, CBO.about))) == 10
    for lang, mark in (("zh", "合计（10 个对象）"), ("en", "total of 10")):
        lines = tooltip_of(themed("alibaba", lang), CBR.alibaba)
        with_total = [line for line in lines if "232,028" in line]
        assert len(with_total) == 1 and mark in with_total[0], with_total
        own = [line for line in lines if "40,383" in line]          # Alibaba's own B2C revenue: no total mark
        assert len(own) == 1 and mark not in own[0]


def test_tooltip_names_a_figures_other_subjects_and_hedge(asserted):
    from kg.present.tooltips import CAP, tooltip

    g = asserted
    lines = tooltip(g, CBR["cat-mobile-phones"], "zh").split("\n")
    assert any("速卖通" in line and "2010–2019" in line and ": 10" in line for line in lines), lines
    hedged = next(s for s, q in sorted(g.subject_objects(CBO.qualifier)) if str(q) == "over"
                  and len(set(g.objects(s, CBO.about))) == 1
                  and len(set(g.subjects(CBO.about, g.value(s, CBO.about)))) <= CAP)
    subject = g.value(hedged, CBO.about)
    printed = str(g.value(hedged, CBO.printedValue))
    assert any(f"超过 {printed}" in line for line in tooltip(g, subject, "zh").split("\n"))


def test_named_views_have_no_unconnected_nodes_and_each_relation_once(asserted, themed, relations):
    from kg.present.views import views

    g = asserted
    for view in views(g, "zh"):
        assert_edges_are_the_relations(relations, view)
    assert (CBR.alibaba, CBO.operates, CBR.aliexpress) in g and (CBR.aliexpress, CBO.operatedBy, CBR.alibaba) in g
    alibaba = themed("alibaba")
    pair = {str(CBR.alibaba), str(CBR.aliexpress)}
    assert len([e for e in alibaba.network.edges if {e["from"], e["to"]} == pair]) == 1
    assert (CBR.aliexpress, CBO.servesMarket, CBR.FR) in g and (CBR.aliexpress, CBO.firstTierMarket, CBR.FR) in g
    france = [e["relation"] for e in alibaba.network.edges if (e["from"], e["to"]) == (str(CBR.aliexpress), str(CBR.FR))]
    assert france == [str(CBO.firstTierMarket)]
    assert themed("markets").loose                  # the unrelated places are listed beside the network


def test_page_lists_the_unconnected_nodes_and_links_back(built):
    html = (built.dist / "views" / "markets.html").read_text(encoding="utf-8")
    assert 'id="loose"' in html and "无关联的对象" in html
    assert 'href="index.html"' in html and 'href="en/markets.html"' in html
    en = (built.dist / "views" / "en" / "markets.html").read_text(encoding="utf-8")
    assert 'href="../markets.html"' in en and "Not related to the others" in en


def test_bump_chart_breaks_a_line_where_a_category_left_the_top_five(queried):
    g = queried
    spec = next(s for s in SPECS if s.kind == "bump")
    c = chart(g, spec, SavedQuery.read(ROOT / "queries" / f"{spec.query}.rq"), "zh")
    years = sorted({x for _, x, _ in c.points})
    by_category: dict = {}
    for name, x, _ in c.points:
        by_category.setdefault(name, []).append(years.index(x))
    lines = re.findall(r'<polyline points="([^"]+)"[^>]*data-line="([^"]+)"', c.svg)
    step = None
    for points, name in lines:
        xs = [float(p.split(",")[0]) for p in points.split()]
        gaps = [b - a for a, b in zip(xs, xs[1:])]
        assert max(gaps) - min(gaps) < 0.5, (name, xs)      # evenly spaced: one year apart, no year skipped
        step = step or min(gaps)
        assert abs(min(gaps) - step) < 0.5, (name, xs)
    assert step
    home = sorted(by_category["家庭与花园用具"])               # top five in 2010-11 and 2015-19, absent 2012-14
    assert home == [0, 1, 5, 6, 7, 8, 9]
    assert [len(p.split()) for p, n in lines if n == "家庭与花园用具"] == [2, 5]
    drawn = sum(len(p.split()) - 1 for p, _ in lines)
    expected = sum(sum(1 for a, b in zip(sorted(v), sorted(v)[1:]) if b == a + 1) for v in by_category.values())
    assert drawn == expected                                  # a segment for every pair of consecutive years, no more


def test_table6_is_a_rank_chart_not_bars(queried):
    g = queried
    spec = next(s for s in SPECS if s.name == "chart-table6")
    c = chart(g, spec, SavedQuery.read(ROOT / "queries" / f"{spec.query}.rq"), "zh")
    assert "<rect" not in c.svg
    dots = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" fill="[^"]+" data-series="rank" '
                      r'data-x="([^"]+)" data-value="(\d+)"', c.svg)
    assert len(dots) == 10
    by_rank = sorted((int(r), float(cx), float(cy), name) for cx, cy, name, r in dots)
    assert [r for r, *_ in by_rank] == list(range(1, 11))
    steps = [b[1] - a[1] for a, b in zip(by_rank, by_rank[1:])]
    assert max(steps) - min(steps) < 0.5 and min(steps) > 0  # a rank axis: equal steps, 1 at the left
    assert [cy for _, _, cy, _ in by_rank] == sorted(cy for _, _, cy, _ in by_rank)   # rows in rank order
    assert by_rank[0][3] == "华为" and by_rank[-1][3] == "安克（ANKER）"


def test_english_charts_have_english_headers_and_legends(queried):
    g = queried
    for spec in SPECS:
        query = SavedQuery.read(ROOT / "queries" / f"{spec.query}.rq")
        c = chart(g, spec, query, "en")
        assert c.headers and not [h for h in c.headers if CJK.search(h)], (spec.name, c.headers)
        assert "exportShare" not in c.headers and not CJK.search(c.title) and c.source.startswith("Source: ")
        legend = re.findall(r'<rect x="[\d.]+" y="10" width="12" height="12" fill="[^"]+"/><text[^>]*>([^<]*)</text>', c.svg)
        assert not [t for t in legend if CJK.search(t)], (spec.name, legend)
    zh = chart(g, SPECS[0], SavedQuery.read(ROOT / "queries" / f"{SPECS[0].query}.rq"), "zh")
    assert "占出口比重（%）" in zh.headers


def test_english_gallery_and_views(built):
    index = (built.dist / "views" / "en" / "index.html").read_text(encoding="utf-8")
    visible = re.sub(r"<style>.*?</style>|<[^>]+>", " ", index, flags=re.S)
    assert not CJK.search(visible.replace("中文", "")), CJK.findall(visible)[:10]
    for page in (built.dist / "views").glob("*.html"):
        assert (built.dist / "views" / "en" / page.name).exists(), page.name
    html = (built.dist / "views" / "en" / "alibaba.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "The Alibaba ecosystem" in html and '"AliExpress"' in html


def test_views_are_written_the_same_twice(built, stored, tmp_path):
    """The views written again from the build's Turtle are the build's own (its first writing, in another process):
    the same files, byte for byte."""
    from kg.present.views import write_views

    first = built.dist / "views"
    again = sorted(p.relative_to(tmp_path).as_posix() for p in write_views(stored, tmp_path, "zh", queries=ROOT / "queries"))
    assert again == sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert [name for name in again if (tmp_path / name).read_bytes() != (first / name).read_bytes()] == []


def test_served_views_follow_the_language(built):
    from starlette.testclient import TestClient

    from kg.project import Project
    from kg.query.engine import Limits
    from kg.web.serve import create_app

    with TestClient(create_app(Project(built.dist.parent), Limits(timeout=5.0, workers=1))) as client:
        moved = client.get("/views/alibaba.html?lang=en", follow_redirects=False)
        assert moved.status_code == 307 and moved.headers["location"] == "/views/en/alibaba.html"
        page = client.get("/views/alibaba.html?lang=en")
        assert page.status_code == 200 and "The Alibaba ecosystem" in page.text
        written = (built.dist / "views" / "en" / "alibaba.html").read_text(encoding="utf-8")
        assert written.count('id="lang-switch"') == 1                      # the file alone has its own switch,
        assert page.text.count("lang-switch") == 1 and 'class="lang-switch"' in page.text   # served: the top bar's
        assert client.get("/views/?lang=en").text.count("cbec-kg · views") >= 1
        back = client.get("/views/en/alibaba.html?lang=zh", follow_redirects=False)
        assert back.headers["location"] == "/views/alibaba.html"
        assert "阿里巴巴生态" in client.get("/views/alibaba.html").text
        bad = client.get("/views/alibaba.html?lang=fr")
        assert bad.status_code == 400 and "unknown language 'fr'" in bad.text
        assert client.get("/views/no-such-view.html").status_code == 404
        assert client.get("/views/../cbec-kg.ttl").status_code == 404
        assert client.get("/views/%2e%2e/cbec-kg.ttl").status_code == 404


def test_an_english_build_puts_chinese_in_views_zh(stored, tmp_path):
    from kg.present.views import write_views

    write_views(stored, tmp_path, "en", queries=ROOT / "queries")
    root = (tmp_path / "alibaba.html").read_text(encoding="utf-8")
    twin = (tmp_path / "zh" / "alibaba.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in root and 'href="zh/alibaba.html"' in root
    assert '<html lang="zh">' in twin and 'href="../alibaba.html"' in twin and "阿里巴巴生态" in twin
    assert not (tmp_path / "en").exists()
    chart_page = (tmp_path / "chart-table1.html").read_text(encoding="utf-8")
    assert "<th>share of exports (%)</th>" in chart_page and "exportShare" not in chart_page.split("<table", 1)[1]


def test_view_pages_served_from_an_english_build(tmp_path):
    from kg.web.viewpages import view_page

    (tmp_path / "zh").mkdir()
    for page in ("index.html", "alibaba.html", "zh/index.html", "zh/alibaba.html"):
        (tmp_path / page).write_text(page, encoding="utf-8")
    assert view_page(tmp_path, "alibaba.html", "zh").headers["location"] == "/views/zh/alibaba.html"
    assert view_page(tmp_path, "zh/alibaba.html", "en").headers["location"] == "/views/alibaba.html"
    assert view_page(tmp_path, "", "zh").headers["location"] == "/views/zh/"
    assert view_page(tmp_path, "alibaba.html", "en").status_code == 200
    assert view_page(tmp_path, "zh/", None).status_code == 200
    assert view_page(tmp_path, "en/alibaba.html", None).status_code == 404      # no such folder in this build
    assert view_page(tmp_path, "../x", None).status_code == 404
    (tmp_path / "entity-cainiao.html").write_text("drawn by cbec-kg view, in one language", encoding="utf-8")
    assert view_page(tmp_path, "entity-cainiao.html", "zh").status_code == 200
    assert view_page(tmp_path, "alibaba.html", "fr").status_code == 400


def test_a_graph_too_large_for_networks_still_gets_charts_and_a_gallery(stored, tmp_path, monkeypatch):
    import kg.present.views as views_module

    monkeypatch.setattr(views_module, "NETWORK_LIMIT", 10)
    files = views_module.write_views(stored, tmp_path, "zh", queries=ROOT / "queries")
    names = sorted(p.relative_to(tmp_path).as_posix() for p in files)
    assert "alibaba.html" not in names and "en/chart-table6.html" in names and "chart-table1.html" in names
    assert "未生成关系网络视图" in (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "no network views were drawn" in (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
