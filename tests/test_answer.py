"""One answer, whichever engine gave it (kg/query/answer.py): typed values, one writer per format, and the same
bytes from the on-disk store, rdflib (the reference) and an endpoint, for rows, yes/no and a graph in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.names import STORE_DIR
from kg.query.answer import Answer, cell, display_rows, of_results, on_disk_store, write
from kg.query.catalogue import prepare, resolve
from kg.query.remote import EndpointError, query_endpoint
from kg.query.saved import open_graph
from kg.query.sources import ask
from tests.support.server import serve_in_thread

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


CBO = "https://w3id.org/cbec-kg/ontology#"
# a graph with blank nodes of the store (the ontology's lists), blank nodes the query makes, and labels in two languages
CONSTRUCT = f"""PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT {{ ?list rdf:first ?first ; rdf:rest ?rest . ?s a ?c ; <{CBO}code> [ <{CBO}value> ?iso ] ; rdfs:label ?name }}
WHERE {{ {{ ?list rdf:first ?first ; rdf:rest ?rest }}
        UNION {{ ?s a ?c ; <{CBO}isoCode> ?iso ; rdfs:label ?name }} }}"""
FORMS = {"rows": ("table", "csv", "tsv", "json", "xml"), "boolean": ("table", "json", "xml"),
         "graph": ("table", "turtle", "ntriples", "json-ld", "xml")}


def queries() -> dict[str, str]:
    return {"rows": prepare(resolve("b2c_exporters_2018", ROOT / "queries").text, "zh"),
            "boolean": f"ASK {{ ?s a <{CBO}Country> ; <{CBO}isoCode> \"CN\" }}",
            "graph": CONSTRUCT}


@pytest.mark.parametrize("form", FORMS)
def test_store_reference_and_endpoint_print_the_same_bytes(form, built, reference, live_server):
    text = queries()[form]
    stored = on_disk_store(built.dist / STORE_DIR, text)
    referenced = ask(reference, text)
    assert stored.form == referenced.form == form
    for fmt in FORMS[form]:
        printed = write(stored, fmt)
        assert write(referenced, fmt) == printed, fmt
        assert query_endpoint(live_server + "/sparql", text, fmt) == printed, fmt
    if form == "rows":
        lines = write(stored, "table").splitlines()
        assert "中国" in lines[2] and len(lines) == 13 and lines[-1] == "(10 rows)"  # heading, rule, ten economies, count
    if form == "boolean":
        assert write(stored, "table") == "yes"
    if form == "graph":
        turtle = write(stored, "turtle")
        assert "@prefix cbo: <https://w3id.org/cbec-kg/ontology#> ." in turtle and "_:c14n" in turtle
        assert "cbr:CN a " in turtle and '"China"@en , "中国"@zh' in turtle


def test_a_graph_prints_the_same_whatever_its_blank_nodes_are_called():
    import pyoxigraph

    p = pyoxigraph.NamedNode(CBO + "p")
    one = [pyoxigraph.Triple(pyoxigraph.BlankNode("a"), p, pyoxigraph.BlankNode("b")),
           pyoxigraph.Triple(pyoxigraph.BlankNode("b"), p, pyoxigraph.Literal("x"))]
    other = [pyoxigraph.Triple(pyoxigraph.BlankNode("N9"), p, pyoxigraph.Literal("x")),
             pyoxigraph.Triple(pyoxigraph.BlankNode("N1"), p, pyoxigraph.BlankNode("N9")),
             pyoxigraph.Triple(pyoxigraph.BlankNode("N1"), p, pyoxigraph.BlankNode("N9"))]   # twice: a graph is a set
    assert write(Answer("graph", triples=one), "ntriples") == write(Answer("graph", triples=other), "ntriples")
    assert write(Answer("graph", triples=one), "ntriples").count("\n") == 2


def test_an_endpoint_that_refuses_ntriples_or_json_is_asked_for_turtle_or_xml(built):
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    graph = on_disk_store(built.dist / STORE_DIR, CONSTRUCT)
    rows = on_disk_store(built.dist / STORE_DIR, queries()["rows"])
    asked: list[str] = []

    async def sparql(request):
        accept = request.headers["accept"]
        asked.append(accept)
        if "n-triples" in accept or "json" in accept:
            return Response(status_code=406)
        if "turtle" in accept:
            return Response(write(graph, "turtle").encode("utf-8"), media_type="text/turtle")
        if b"ASK" in await request.body():                  # an answer in no results format
            return Response(b"<p>yes</p>", media_type="text/html")
        return Response(write(rows, "xml").encode("utf-8"), media_type="application/sparql-results+xml")

    async def none(request):
        return Response(status_code=406)

    routes = [Route("/sparql", sparql, methods=["POST"]), Route("/none", none, methods=["POST"])]
    with serve_in_thread(Starlette(routes=routes)) as url:
        assert query_endpoint(url + "/sparql", CONSTRUCT, "ntriples") == write(graph, "ntriples")
        assert asked == ["application/n-triples", "text/turtle"]
        assert query_endpoint(url + "/sparql", queries()["rows"], "table") == write(rows, "table")
        assert asked[2:] == ["application/sparql-results+json", "application/sparql-results+xml"]
        with pytest.raises(ValueError, match="gives a graph"):
            query_endpoint(url + "/sparql", CONSTRUCT, "csv")       # refused before asking
        assert len(asked) == 4
        with pytest.raises(EndpointError, match="text/html, not SPARQL results"):
            query_endpoint(url + "/sparql", queries()["boolean"], "table")
        with pytest.raises(EndpointError, match="refused to answer in application/n-triples or text/turtle"):
            query_endpoint(url + "/none", CONSTRUCT, "turtle")


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
