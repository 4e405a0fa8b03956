"""The SPARQL endpoint: protocol, formats, refusals, limits — through Starlette's client and a real server."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time

import pytest
from rdflib import Graph
from rdflib.query import Result
from starlette.testclient import TestClient

from kg.query.engine import Limits
from kg.web.serve import create_app, negotiate

LABELS = "SELECT ?l WHERE { <https://w3id.org/cbec-kg/resource/CN> <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def served(built):
    from kg.project import Project

    project = Project(built.dist.parent)
    app = create_app(project, Limits(timeout=2.0, workers=2, max_rows=5000))
    with TestClient(app) as client:
        yield client


def test_get_json(served):
    r = served.get("/sparql", params={"query": LABELS})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    values = sorted(b["l"]["value"] for b in r.json()["results"]["bindings"])
    assert values == ["China", "中国"]


def test_post_form_and_direct_body(served):
    a = served.post("/sparql", data={"query": LABELS})
    b = served.post("/sparql", content=LABELS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json()


@pytest.mark.parametrize("accept,fmt", [("application/sparql-results+xml", "xml"), ("application/sparql-results+json", "json"),
                                        ("text/csv", "csv"), ("text/tab-separated-values", "tsv")])
def test_row_formats_parse_with_a_standard_parser(served, accept, fmt):
    r = served.get("/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    result = Result.parse(io.BytesIO(r.content), format=fmt)
    assert sorted(str(row[0]) for row in result) == ["China", "中国"]


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_graph_formats_parse(served, accept, fmt):
    q = "CONSTRUCT { ?c ?p ?o } WHERE { ?c ?p ?o FILTER (?c = <https://w3id.org/cbec-kg/resource/GB>) }"
    r = served.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = Graph().parse(data=r.content, format=fmt)
    assert len(g) >= 5


def test_accept_q_values_and_format_parameter():
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", None) == ("xml", "turtle")
    assert negotiate("text/csv", "json")[0] == "json"
    assert negotiate("application/ld+json", None)[1] == "jsonld"


def test_ask(served):
    r = served.get("/sparql", params={"query": "ASK { ?s a <https://w3id.org/cbec-kg/ontology#Platform> }"})
    assert r.json()["boolean"] is True


def test_updates_are_refused_and_the_graph_is_unchanged(served):
    before = served.get("/sparql", params={"query": COUNT}).json()
    for response in (
        served.post("/sparql", data={"update": "DELETE WHERE { ?s ?p ?o }"}),
        served.post("/sparql", content=b"DELETE WHERE { ?s ?p ?o }", headers={"Content-Type": "application/sparql-update"}),
        served.post("/sparql", data={"query": "CLEAR ALL"}),
        served.post("/sparql", data={"query": "LOAD <http://127.0.0.1:9/x.ttl>"}),
        served.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    ):
        assert response.status_code == 403, response.text
    assert served.put("/sparql", content=b"x").status_code == 405
    assert served.get("/sparql", params={"query": COUNT}).json() == before


def test_service_is_refused_without_any_outbound_connection(served):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    q = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    r = served.get("/sparql", params={"query": q})
    assert r.status_code == 403 and "SERVICE" in r.text
    with pytest.raises(socket.timeout):
        listener.accept()
    listener.close()


def test_syntax_error_names_line_and_column(served):
    r = served.get("/sparql", params={"query": "SELECT ?x\nWHERE { ?x ?y }"})
    assert r.status_code == 400
    assert "line 2, column" in r.text


def test_runaway_query_is_stopped_while_others_are_answered(served):
    slow: dict = {}

    def runaway():
        slow["response"] = served.get("/sparql", params={"query": RUNAWAY})

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)                                   # the runaway is on its worker first
    quick = served.get("/sparql", params={"query": LABELS})
    answered_while_running = thread.is_alive() and "response" not in slow   # it ends only at the time limit
    thread.join(30)
    assert quick.status_code == 200 and answered_while_running
    assert slow["response"].status_code == 503
    assert "stopped after 2 s" in slow["response"].text
    assert served.get("/sparql", params={"query": LABELS}).status_code == 200   # the killed worker was replaced


def test_limits_query_length_body_size_and_rows(built):
    from kg.project import Project

    app = create_app(Project(built.dist.parent), Limits(max_query_chars=200, max_body_bytes=300, max_rows=3, workers=1))
    with TestClient(app) as client:
        long_query = LABELS + " " * 300
        assert client.get("/sparql", params={"query": long_query}).status_code == 413
        assert client.post("/sparql", content=b"#" * 400, headers={"Content-Type": "application/sparql-query"}).status_code == 413
        r = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"})
        assert r.status_code == 200
        assert len(r.json()["results"]["bindings"]) == 3
        assert "urn:cbec-kg:truncated:3" in r.json()["head"]["link"]
        assert "dropped" in r.headers["x-cbec-kg-truncated"]


def test_cors_is_closed_by_default(served):
    r = served.get("/sparql", params={"query": LABELS}, headers={"Origin": "http://example.org"})
    assert "access-control-allow-origin" not in r.headers


def test_pages(served):
    page = served.get("/")                      # the start page: saved queries by title, linked to the editor
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    assert "/editor?lang=zh&amp;query=b2c_exporters_2018" in page.text
    assert served.get("/assets/yasgui/yasgui.min.js").status_code == 200
    assert served.get("/assets/yasgui/../../package.json").status_code == 404
    card = served.get("/entity/速卖通")
    assert card.status_code == 200 and "AliExpress" in card.text and "阿里巴巴" in card.text
    missing = served.get("/entity/Cainao")
    assert missing.status_code == 404 and "Cainiao" in missing.text
    assert served.get("/views/overview.html").status_code == 200
    assert served.get("/views/../cbec-kg.ttl").status_code == 404


# --------------------------------------------------------------------------- a real server and clients

def test_sparqlwrapper_gets_json_xml_and_turtle(live_server):
    from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(LABELS)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert sorted(b["l"]["value"] for b in bindings) == ["China", "中国"]
    client.setReturnFormat(XML)
    doc = client.query().convert()
    assert {n.firstChild.data for n in doc.getElementsByTagName("literal")} == {"China", "中国"}
    client.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (?s = <https://w3id.org/cbec-kg/resource/alibaba>) }")
    client.setReturnFormat(TURTLE)
    g = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(g) > 5


def test_cli_endpoint_matches_embedded(live_server, built, capsys, monkeypatch):
    from kg.cli import main

    monkeypatch.setenv("CBEC_KG_DIST", str(built.dist))
    assert main(["query", "b2c_exporters_2018", "--format", "csv"]) == 0
    embedded = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert main(["query", "b2c_exporters_2018", "--format", "csv", "--endpoint", live_server + "/sparql"]) == 0
    remote = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert len(remote) == 11
    assert [r[1] for r in remote] == [r[1] for r in embedded]


def test_no_file_access_through_a_query(served):
    r = served.get("/sparql", params={"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o } LIMIT 5"})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    assert served.post("/sparql", data={"query": "LOAD <file:///etc/passwd>"}).status_code == 403
    r = served.get("/sparql", params={"query": "SELECT * WHERE { GRAPH <file:///etc/passwd> { ?s ?p ?o } }"})
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []


def test_binds_to_loopback_by_default():
    from kg.cli import parser

    args = parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.cors is None
