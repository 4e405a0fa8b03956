"""A killed build leaves dist/ whole; special characters come out escaped in every export and view."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml
from rdflib import Dataset, Graph, Literal, URIRef

from kg.build import build

LABEL_ZH = '测试 "引号" \\反斜杠\\ <script>alert(1)</script> & 逗号, 换行\n第二行 @id {"x": 1} 🛒'
LABEL_EN = "Quotes \" and ' , comma; <b>bold</b> & amp \\ backslash\ttab"
EVIL = {"facts": [{"id": "escape-test", "class": "Company", "label": {"zh": LABEL_ZH, "en": LABEL_EN},
                   "aliases": {"en": ["a,b", 'c"d', "</script><script>x()</script>"]}, "place": "s2-1"},
                  {"id": "escape-stat", "class": "Statistic", "label": {"zh": LABEL_ZH, "en": LABEL_EN},
                   "measure": "m-b2c-cb-sales", "about": "escape-test", "value": "1", "unit": "unit-usd-100m",
                   "period": "2019", "place": "s2-1"}]}


def snapshot(dist):
    """A build's files and where ``dist`` points; the on-disk store as one entry (RocksDB names its files by a
    counter that differs from build to build), present when the store is whole (its CURRENT file is written last)."""
    files = {str(p.relative_to(dist)): p.read_bytes() for p in dist.rglob("*")
             if p.is_file() and p.relative_to(dist).parts[0] != "store"}
    files["store"] = (dist / "store" / "CURRENT").read_bytes() if (dist / "store" / "CURRENT").exists() else b""
    return files, os.readlink(dist)


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0, 5.0])
def test_killed_build_leaves_previous_dist_whole(built_project, delay):
    project = built_project
    before = snapshot(project.dist)
    (project.facts_dir / "zz-extra.yaml").write_text(yaml.safe_dump(EVIL, allow_unicode=True), encoding="utf-8")
    # a session of its own, so that what the killed build left running (HermiT, forked writers) can be stopped after
    process = subprocess.Popen([sys.executable, "-m", "kg", "--root", str(project.root), "build", "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        after = snapshot(project.dist)
        # Either the old build (killed before the switch) or a complete new one (finished first): never a mix.
        if after[1] == before[1]:
            assert after == before
        else:
            assert set(after[0]) == set(before[0])
            Graph().parse(project.dist / "cbec-kg.ttl", format="turtle")
        # and the next build still works
        build(project, quiet=True, reasoner=False)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)     # the orphans: they would spend the suite's CPU for nothing


@pytest.fixture(scope="module")
def escaped(tmp_path_factory):
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("escape"))
    (project.facts_dir / "zz-escape.yaml").write_text(yaml.safe_dump(EVIL, allow_unicode=True), encoding="utf-8")
    return build(project, quiet=True, reasoner=False)


NODE = URIRef("https://w3id.org/cbec-kg/resource/escape-test")


@pytest.mark.parametrize("name,fmt", [("cbec-kg.ttl", "turtle"), ("cbec-kg.nt", "nt"), ("cbec-kg.jsonld", "json-ld"),
                                      ("cbec-kg.rdf", "xml")])
def test_labels_round_trip_through_rdf_exports(escaped, name, fmt):
    g = Graph().parse(escaped.dist / name, format=fmt)
    labels = set(g.objects(NODE, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert Literal(LABEL_ZH, lang="zh") in labels and Literal(LABEL_EN, lang="en") in labels


def test_labels_round_trip_through_trig(escaped):
    ds = Dataset()
    ds.parse(escaped.dist / "cbec-kg.trig", format="trig")
    assert any((NODE, None, Literal(LABEL_ZH, lang="zh")) in g for g in ds.graphs())


def test_labels_round_trip_through_csv_and_graphml(escaped):
    rows = list(csv.DictReader(io.StringIO((escaped.dist / "statistics.csv").read_bytes().decode("utf-8-sig"))))
    row = next(r for r in rows if r["id"] == "escape-stat")
    assert row["label_zh"] == LABEL_ZH and row["label_en"] == LABEL_EN and row["about_en"] == LABEL_EN
    import networkx as nx

    g = nx.read_graphml(escaped.dist / "cbec-kg.graphml")
    assert g.nodes["escape-test"]["label"] == LABEL_ZH


def test_views_escape_labels(escaped):
    from kg.present.views import entity_view, render

    html = render(entity_view(escaped.graph, NODE, 1), "zh")
    assert "<script>alert(1)</script>" not in html and "</script><script>x()" not in html
    data = html.split("new vis.DataSet(", 1)[1].split(");", 1)[0]
    assert any(n["label"] == LABEL_ZH for n in json.loads(data))


def test_served_results_escape_labels(escaped):
    from starlette.testclient import TestClient

    from kg.project import Project
    from kg.query.engine import Limits
    from kg.web.serve import create_app

    q = f"SELECT ?l WHERE {{ <{NODE}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} ORDER BY ?l"
    with TestClient(create_app(Project(escaped.dist.parent), Limits(workers=1))) as client:
        for fmt in ("json", "xml", "csv", "tsv"):
            from rdflib.query import Result

            r = client.get("/sparql", params={"query": q, "format": fmt})
            got = {str(row[0]) for row in Result.parse(io.BytesIO(r.content), format=fmt)}
            assert got == {LABEL_ZH, LABEL_EN}, fmt
        page = client.get("/entity/escape-test")
        assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
