"""``cbec-kg conflicts``: figures for the same thing that disagree, each with both places."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph

from kg.checks.conflicts import conflicts, differing, figures, report
from kg.cli import main
from kg.query.saved import open_graph

CBR = "https://w3id.org/cbec-kg/resource/"


def test_table2_total_against_the_sum_of_its_rows(graph_file):
    graph = open_graph(graph_file, inferred=False)
    found = [c for c in conflicts(graph) if c.kind == "total differs from its parts"]
    total = next(c for c in found if c.first.iri == f"{CBR}t2-top10-b2c-revenue-total")
    assert total.first.printed == "232,028"
    assert len(total.parts) == 10
    # 表2's ten printed revenues, in millions of US$, add up to 232,027
    assert total.parts_sum == Decimal(232_027) * Decimal(10) ** 6
    text = report(graph, found, "zh")
    assert "232,028" in text and "232,027" in text and "表2" in text


def test_same_measure_subject_period_with_different_values(graph_file):
    graph = Graph()
    graph.parse(graph_file, format="turtle")
    original = graph.value(graph.resource(f"{CBR}t1-CN-sales").identifier,
                           graph.namespace_manager.expand_curie("cbo:normalizedValue"))
    # a second document's figure for the same thing: China's B2C cross-border sales in 2018, another value
    twin = f"{CBR}doc2-CN-sales"
    graph.parse(data=f"""
        @prefix cbo: <https://w3id.org/cbec-kg/ontology#> . @prefix cbr: <{CBR}> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{twin}> a cbo:Statistic ; cbo:measure cbr:m-b2c-cb-sales ; cbo:period "2018"^^xsd:gYear ;
            cbo:normalizedValue "{original + 1}"^^xsd:decimal ; cbo:printedValue "1000.1" ;
            cbo:unit cbr:unit-usd-100m ; cbo:about cbr:CN ; cbo:statedIn cbr:table1 .
        """, format="turtle")
    pairs = [(c.first.iri, c.second.iri) for c in differing(figures(graph)) if c.second is not None]
    assert (f"{CBR}doc2-CN-sales", f"{CBR}t1-CN-sales") in pairs or (f"{CBR}t1-CN-sales", f"{CBR}doc2-CN-sales") in pairs


def test_equal_values_are_no_conflict(graph_file):
    graph = open_graph(graph_file, inferred=False)
    assert all(c.first.value != c.second.value for c in differing(figures(graph)) if c.second is not None)


def test_cli_lists_conflicts_and_strict_fails(built, capsys):
    root = str(built.dist.parent)
    assert main(["--root", root, "conflicts"]) == 0
    assert "232,028" in capsys.readouterr().out
    assert main(["--root", root, "conflicts", "--strict"]) == 1


def test_conflicts_page_and_its_json_twin(built):
    from starlette.testclient import TestClient

    from kg.project import Project
    from kg.query.engine import Limits
    from kg.web.serve import create_app

    with TestClient(create_app(Project(built.dist.parent), Limits(timeout=5.0, workers=1))) as client:
        page = client.get("/conflicts")
        assert page.status_code == 200
        assert "232,027" in page.text and "232,028" in page.text and "表2" in page.text
        data = client.get("/conflicts.json", params={"lang": "en"}).json()
        total = next(c for c in data["conflicts"] if c["parts_sum"])
        assert total["parts_sum"] == "232,027" and total["figures"][0]["id"] == "t2-top10-b2c-revenue-total"
        assert len(total["figures"]) == 11 and total["kind"].startswith("a total")
        for bad in ({"lang": "xx"}, {"format": "xml"}, {"lang": "<script>"}):
            answer = client.get("/conflicts", params=bad)
            assert answer.status_code == 400 and "<script>" not in answer.text
