"""Views: drawn from the graph, self-contained, and safe with any label."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, Literal

from kg.ontology import CBO, CBR
from kg.views import render, slice_view

REMOTE = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


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
