"""Documents as data: a second document joins the graph with no code change.

The second document (``tests/fixtures/second-document``) was written for this test: its own text file, places
and sheet, and statistics about entities the report also has (速卖通, 西班牙, 中国, 俄罗斯, 菜鸟). Added to a copy
of the project, everything still works, per document: grounding, coverage, provenance, queries, pages, exports.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import copy_project
from rdflib import RDF, RDFS, Graph
from starlette.testclient import TestClient

from kg.build import build
from kg.checks.coverage import measure
from kg.checks.grounding import default_source, document_texts
from kg.cli import main
from kg.model.ontology import CBO, CBR
from kg.project import Project
from kg.query.engine import Limits
from kg.query.saved import catalogue, open_graph, rows, run
from kg.sheets.documents import document_of, documents
from kg.web.serve import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "second-document"
DOC = "brief-2021"


@pytest.fixture(scope="module")
def two(tmp_path_factory, report_source):
    """A copy of the project with the second document's sheet, and a sources folder holding both texts."""
    root = tmp_path_factory.mktemp("two-documents")
    project = copy_project(root / "project")
    shutil.copy(FIXTURE / "brief-2021.yaml", project.facts_dir / "brief-2021.yaml")
    sources = root / "sources"
    sources.mkdir()
    report_text = default_source(Project.find().root)         # report_source has checked that it is there
    (sources / report_text.name).symlink_to(report_text)
    shutil.copy(FIXTURE / "cbec-brief-2021.zh.txt", sources)
    saved = {k: os.environ.pop(k, None) for k in ("CBEC_KG_SOURCES", "CBEC_KG_SOURCE")}
    os.environ["CBEC_KG_SOURCES"] = str(sources)
    try:
        yield build(project, quiet=True), project
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None)
            if value is not None:
                os.environ[key] = value


def nt_lines(dist: Path) -> set[str]:
    return set((dist / "cbec-kg.nt").read_text(encoding="utf-8").splitlines())


def test_the_documents_are_data(two):
    result, _ = two
    ids = [d.id for d in documents(result.base)]
    assert ids == ["report", DOC]
    stat = result.base.facts["brief-cainiao-europe-days"]
    assert document_of(stat, result.base) == DOC
    assert document_of(result.base.facts["t1-CN-sales"], result.base) == "report"


def test_grounding_and_coverage_per_document(two, built, capsys):
    result, project = two
    assert main(["--root", str(project.root), "ground"]) == 0
    n = len(result.base.of_class("Statistic"))
    assert n == len(built.base.of_class("Statistic")) + 3                      # the second document's three
    assert f"{n} of {n} statistics grounded in 2 document(s)" in capsys.readouterr().out
    assert main(["--root", str(project.root), "coverage", "--document", DOC]) == 0
    assert "covered: 4 of 4 numbers (100.0%)" in capsys.readouterr().out
    # the report's coverage is the same with or without the second document
    texts = document_texts(project.root, result.base)
    alone = document_texts(built.dist.parent, built.base, source=default_source(Project.find().root))
    with_two, only = measure(*texts["report"]), measure(*alone["report"])
    assert (len(with_two.numbers), with_two.covered) == (len(only.numbers), only.covered)


def test_the_report_graph_is_unchanged_but_for_the_new_document(two, built):
    result, _ = two
    before, after = nt_lines(built.dist), nt_lines(result.dist)
    assert before <= after
    added = after - before
    new_ids = {f.id for f in result.base.facts.values() if f.file.endswith("brief-2021.yaml")}
    assert added and all(any(f"{CBR}{i}>" in line for i in new_ids) for line in added)


def test_an_entity_is_one_node_however_many_documents_name_it(two):
    result, _ = two
    graph = open_graph(result.dist / "cbec-kg.ttl", inferred=False)
    spain = [s for s in graph.subjects(RDFS.label) if str(s).endswith("/ES")]
    assert Counter(spain)[CBR["ES"]] == 2 and set(spain) == {CBR["ES"]}      # one node, labelled zh and en
    about = set(graph.subjects(CBO.about, CBR["ES"]))
    assert CBR["brief-aliexpress-es-buyers-2021"] in about
    places = {p for s in about for p in graph.objects(s, CBO.statedIn)}
    assert CBR["brief-2021-market"] in places and len(places) > 1           # figures from both documents
    assert (CBR[DOC], RDF.type, CBO.Report) in graph
    assert (CBR["brief-2021-market"], CBO.partOfReport, CBR[DOC]) in graph


def test_saved_queries_keep_their_answers(two, built):
    result, project = two
    one, both = open_graph(built.dist / "cbec-kg.ttl"), open_graph(result.dist / "cbec-kg.ttl")
    for query in catalogue(project.queries_dir):
        before = Counter(tuple(sorted(r.items())) for r in rows(run(one, query.text, "zh")))
        after = Counter(tuple(sorted(r.items())) for r in rows(run(both, query.text, "zh")))
        kept = before - after
        # a row may change only where it counts every statistic (the new document adds three)
        assert not kept or query.name in {"statistics_per_section", "sources_backing_most_figures"}, query.name


def test_pages_show_the_new_document(two):
    result, project = two
    with TestClient(create_app(project, Limits(timeout=5.0, workers=1))) as client:
        page = client.get("/entity/ES")
        assert page.status_code == 200
        assert "<mark>25</mark>" in page.text and "西班牙的买家数量" in page.text   # the sentence of the second text
        assert "<mark>1000</mark>" not in page.text or "表1" in page.text
        rows_ = client.get("/statistics.json", params={"about": "ES", "_size": "all"}).json()["rows"]
        assert "brief-aliexpress-es-buyers-2021" in {r["id"] for r in rows_}
        section = client.get(f"/section/{DOC}-market")
        assert section.status_code == 200 and "300" in section.text
        assert client.get("/search", params={"q": "观察简报"}).status_code == 200


def test_exports_and_views_hold_the_new_document(two, capsys, tmp_path):
    result, project = two
    for fmt in ("jsonld", "rdfxml", "csv", "graphml"):
        out = tmp_path / f"kg.{fmt}"
        assert main(["--root", str(project.root), "export", "--format", fmt, "--out", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        # GraphML is the entity network (no statistics, no report parts): it still exports whole
        assert ("brief-2021" in text) if fmt != "graphml" else ("速卖通" in text), fmt
    assert (result.dist / "views" / "index.html").is_file()
    graph = Graph()
    graph.parse(result.dist / "cbec-kg.ttl")
    assert (CBR[DOC], CBO.textFile, None) in graph
