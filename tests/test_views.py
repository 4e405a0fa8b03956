"""Views: drawn from the graph, self-contained, and safe with any label."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kg.model.ontology import CBO, CBR
from kg.present.charts import SPECS, chart
from kg.present.views import THEMES, entity_view, render, slice_view, theme_view
from kg.query.saved import SavedQuery, open_graph, rows, run

REMOTE = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.IGNORECASE)


def test_overview_shows_exactly_its_subgraph(built):
    g = built.graph
    view = slice_view(g, "zh")
    ids = {n["id"] for n in view.network.nodes}
    expected = {str(s) for cls in ("BusinessModel", "OperatingType", "Platform", "Company")
                for s in g.subjects(RDF.type, CBO[cls])}
    expected |= {str(o) for s in g.subjects(CBO.statedIn, CBR.table1) for o in g.objects(s, CBO.about)}
    assert ids == expected
    edges = {(e["from"], e["to"]) for e in view.network.edges}
    assert (str(CBR.aliexpress), str(CBR.alibaba)) in edges          # operatedBy
    assert (str(CBR.B2B2C), str(CBR.B2B)) in edges                    # derivedFrom
    expected_edges = {(str(s), str(o)) for s, p, o in g if str(s) in ids and str(o) in ids and p != RDF.type
                      and str(p).startswith(str(CBO))}
    assert edges == expected_edges
    labels = {n["label"] for n in view.network.nodes}
    assert {"速卖通", "阿里巴巴", "企业对企业", "中国香港", "平台型"} <= labels


def test_tooltips_carry_figures_and_places(built):
    view = slice_view(built.graph, "zh")
    gb = next(n for n in view.network.nodes if n["id"] == str(CBR.GB))
    assert "400" in gb["title"] and "表1" in gb["title"]


def test_english_labels(built):
    view = slice_view(built.graph, "en")
    assert "AliExpress" in {n["label"] for n in view.network.nodes}


def test_html_references_no_remote_address(built):
    for page in (built.dist / "views").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not REMOTE.search(text), f"{page.name}: {REMOTE.search(text).group(0)}"
    html = (built.dist / "views" / "overview.html").read_text(encoding="utf-8")
    assert "vis.Network" in html and "new vis.DataSet" in html


def test_markup_in_labels_is_escaped(built):
    g = built.graph
    evil = '<script>alert("x")</script>'
    g2 = g.__class__()
    for t in g:
        g2.add(t)
    g2.add((CBR.taobao, RDFS.label, Literal(evil, lang="zh")))
    g2.remove((CBR.taobao, RDFS.label, Literal("淘宝", lang="zh")))
    view = slice_view(g2, "zh")
    html = render(view, "zh")
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


def asserted(built):
    return open_graph(built.dist / "cbec-kg.ttl", "rdflib", inferred=False)


def test_every_theme_has_nodes_edges_and_expected_labels(built):
    g = asserted(built)
    for name, _, _ in THEMES:
        view = theme_view(g, name, "zh")
        ids = {n["id"] for n in view.network.nodes}
        expected_edges = {(str(s), str(o)) for s, p, o in g if str(s) in ids and str(o) in ids
                          and str(p).startswith("https://w3id.org/cbec-kg/ontology#")}
        assert {(e["from"], e["to"]) for e in view.network.edges} == expected_edges, name
        labels = {n["label"] for n in view.network.nodes}
        assert SAMPLES[name] <= labels, (name, SAMPLES[name] - labels)


def test_theme_nodes_match_an_independent_query(built):
    g = asserted(built)
    for name, query in THEME_QUERIES.items():
        expected = {str(r[0]) for r in g.query(PREFIX + query) if str(r[0]).startswith("https://w3id.org/cbec-kg/resource/")}
        got = {n["id"] for n in theme_view(g, name).network.nodes}
        assert got == expected, (name, sorted(got ^ expected)[:10])


def test_charts_plot_exactly_the_queries_answers(built):
    g = open_graph(built.dist / "cbec-kg.ttl")
    for spec in SPECS:
        query = SavedQuery.read(ROOT / "queries" / f"{spec.query}.rq")
        c = chart(g, spec, query, "zh")
        answer = rows(run(g, query.text, "zh"))
        if spec.kind == "bump":
            expected = {(r[spec.group], r[spec.x], Decimal(r["rank"])) for r in answer}
        else:
            expected = {(key, r[spec.x], Decimal(r[key].replace(",", ""))) for key, _ in spec.series for r in answer}
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
    g = Graph()
    g += built.graph
    g.remove((CBR["cat-womens-clothing"], RDFS.label, Literal("女士服装", lang="zh")))
    g.add((CBR["cat-womens-clothing"], RDFS.label, Literal("<script>x</script>", lang="zh")))
    spec = next(s for s in SPECS if s.name == "chart-table3")
    c = chart(g, spec, SavedQuery.read(ROOT / "queries" / f"{spec.query}.rq"), "zh")
    assert "<script>x</script>" not in c.svg and "&lt;script&gt;" in c.svg


def test_entity_view_is_the_neighbourhood(built):
    g = asserted(built)
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
