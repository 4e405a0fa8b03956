"""One answer, whichever engine gave it (kg/query/answer.py): typed values, one writer per format, and the same
table from the on-disk store, rdflib (the reference) and an endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.names import STORE_DIR
from kg.query.answer import Answer, cell, display_rows, of_results, on_disk_store, write
from kg.query.catalogue import prepare, resolve
from kg.query.remote import query_endpoint
from kg.query.saved import of_rdflib, open_graph, run

ROOT = Path(__file__).resolve().parent.parent
XSD = "http://www.w3.org/2001/XMLSchema#"
RESULTS = {"head": {"vars": ["x", "n", "name"]},
           "results": {"bindings": [{"x": {"type": "uri", "value": "https://w3id.org/cbec-kg/resource/china"},
                                     "n": {"type": "literal", "value": "1.50", "datatype": XSD + "decimal"},
                                     "name": {"type": "literal", "value": "中国", "xml:lang": "zh"}},
                                    {"x": {"type": "bnode", "value": "b0"}}]}}


def test_an_endpoints_results_keep_their_types():
    answer = of_results(json.dumps(RESULTS).encode("utf-8"), "json")
    assert answer.form == "rows" and answer.vars == ["x", "n", "name"]
    first, second = answer.rows
    assert first[1].datatype.value == XSD + "decimal" and first[1].value == "1.50"
    assert first[2].language == "zh"
    assert second[1] is None and second[2] is None
    assert display_rows(answer) == [{"x": "cbr:china", "n": "1.5", "name": "中国"},
                                    {"x": "b0", "n": "", "name": ""}]


def test_one_writer_for_each_form():
    assert write(Answer("boolean", boolean=True), "table") == "yes"
    assert json.loads(write(Answer("boolean", boolean=False), "json")) == {"head": {}, "boolean": False}
    answer = of_results(json.dumps(RESULTS).encode("utf-8"), "json")
    assert write(answer, "csv").splitlines()[1] == "https://w3id.org/cbec-kg/resource/china,1.50,中国"
    with pytest.raises(ValueError, match="gives rows"):
        write(answer, "turtle")
    with pytest.raises(ValueError, match="yes or no"):
        write(Answer("boolean", boolean=True), "csv")
    assert cell(None) == ""


@pytest.fixture(scope="module")
def reference(graph_file):
    return open_graph(graph_file, "rdflib")


def test_store_reference_and_endpoint_print_the_same_table(built, reference, live_server):
    text = prepare(resolve("b2c_exporters_2018", ROOT / "queries").text, "zh")
    stored = write(on_disk_store(built.dist / STORE_DIR, text), "table")
    lines = stored.splitlines()
    assert "中国" in stored and len(lines) == 13 and lines[-1] == "(10 rows)"     # heading, rule, ten economies, count
    assert write(of_rdflib(run(reference, text)), "table") == stored
    assert query_endpoint(live_server + "/sparql", text, "table") == stored


def test_a_graph_answer_from_either_engine_has_the_same_triples(built, reference):
    text = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c ; <https://w3id.org/cbec-kg/ontology#isoCode> ?i }"
    stored = on_disk_store(built.dist / STORE_DIR, text)
    assert stored.form == "graph" and stored.triples
    assert {str(t) for t in of_rdflib(run(reference, text)).triples} == {str(t) for t in stored.triples}


def test_answer_on_a_graph_is_oxigraphs_over_its_store_and_rdflibs_otherwise(built, reference):
    from kg.query.saved import answer_on
    from kg.rdfio.serialize import oxigraph_store, store_of
    from kg.rdfio.store import as_graph

    over_store = as_graph(store_of(reference))
    assert oxigraph_store(over_store) is not None and oxigraph_store(reference) is None
    text = resolve("b2c_exporters_2018", ROOT / "queries").text
    for lang in ("zh", "en"):
        oxigraph, rdflib = answer_on(over_store, text, lang), answer_on(reference, text, lang)
        assert len(oxigraph.rows) == 10
        assert display_rows(oxigraph) == display_rows(rdflib)
