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


#: the build's numbered steps (``[k/9]`` on stderr) at which it is killed: while the sheets are read; just after
#: HermiT's JVM and the views' process start; while SHACL runs and a thread writes the on-disk store; while the
#: build waits for its children, just before it publishes
KILL_AT = [2, 5, 7, 9]


def killed_at(project, step: int) -> None:
    """Start a build of ``project`` and kill it (and all it started: HermiT, forked writers) when it prints step
    ``step``."""
    # a session of its own, so that what the killed build left running can be stopped with it
    process = subprocess.Popen([sys.executable, "-m", "kg", "--root", str(project.root), "build"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        assert process.stderr is not None
        printed = []
        for line in process.stderr:                     # the steps, as the build reaches them
            printed.append(line.decode("utf-8", "replace"))
            if line.startswith(f"[{step}/".encode()):
                break
        assert printed and printed[-1].startswith(f"[{step}/"), "".join(printed)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)


def test_killed_builds_leave_previous_dist_whole(built_project):
    """Killed at each step in turn, a build leaves ``dist`` as it was; what the killed builds left behind (their
    staging folders, HermiT's input) does not stop the next build, which still works."""
    project = built_project
    (project.facts_dir / "zz-extra.yaml").write_text(yaml.safe_dump(EVIL, allow_unicode=True), encoding="utf-8")
    for step in KILL_AT:
        before = snapshot(project.dist)
        killed_at(project, step)
        after = snapshot(project.dist)
        # Either the old build (killed before the switch) or a complete new one (finished first): never a mix.
        if after[1] == before[1]:
            assert after == before, step
        else:
            assert set(after[0]) == set(before[0]), step
            Graph().parse(project.dist / "cbec-kg.ttl", format="turtle")
    build(project, quiet=True, reasoner=False)
    assert b"escape-test" in (project.dist / "cbec-kg.ttl").read_bytes()
    # and it cleared away what the killed builds left
    assert [p.name for p in (project.root / ".dist").iterdir() if not p.name.startswith(".")] == \
        [os.path.basename(os.readlink(project.dist))]


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
